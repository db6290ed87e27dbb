# SPDX-License-Identifier: Apache-2.0
"""No recursion: the cycles (strongly connected components) of a call graph."""


def tarjan(graph):
    """Strongly connected components of graph (node -> successors), each a sorted list; iterative."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for v0 in graph:
        if v0 in index:
            continue
        work = [(v0, iter(graph[v0]))]
        index[v0] = low[v0] = counter[0]
        counter[0] += 1
        stack.append(v0)
        on.add(v0)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(graph[w])))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(sorted(comp))
    return out


def cycles(graph):
    """The components of graph that are cycles: more than one node, or one node calling itself."""
    return [c for c in tarjan(graph) if len(c) > 1 or c[0] in graph[c[0]]]
