/* SPDX-License-Identifier: Apache-2.0 */
/*
 * system.json: what the runner (tools/bulkhead_run/system.py) and the test
 * suites need to know about the built system, numbers as JSON integers.
 */
#include "channel.h"
#include "emit.h"

static void uint_list(struct sbuf *b, const uint32_t *v, unsigned n)
{
    sbuf_puts(b, "[");
    for (unsigned i = 0; i < n; i++) {
        sbuf_printf(b, "%s%u", i == 0U ? "" : ", ", v[i]);
    }
    sbuf_puts(b, "]");
}

static void emit_cell(struct sbuf *b, const struct cell *c)
{
    sbuf_printf(b, "    {\n      \"index\": %u,\n      \"name\": ", c->index);
    emit_json_string(b, c->name);
    sbuf_puts(b, ",\n      \"harts\": ");
    uint_list(b, c->harts, c->num_harts);
    sbuf_puts(b, ",\n      \"regions\": [");
    for (unsigned r = 0; r < c->num_regions; r++) {
        const struct region *g = &c->regions[r];
        sbuf_printf(b, "%s\n        {\"guest\": %llu, \"host\": %llu, \"size\": %llu, \"access\": \"%s\"}",
                    r == 0U ? "" : ",", (unsigned long long)g->guest, (unsigned long long)g->host,
                    (unsigned long long)g->size, emit_access(g->access));
    }
    sbuf_puts(b, "\n      ],\n      \"devices\": [");
    for (unsigned d = 0; d < c->num_devices; d++) {
        sbuf_puts(b, d == 0U ? "" : ", ");
        emit_json_string(b, c->devices[d]);
    }
    sbuf_puts(b, "],\n      \"irqs\": ");
    uint_list(b, c->irqs, c->num_irqs);
    sbuf_puts(b, ",\n      \"image\": ");
    emit_json_string(b, c->image);
    sbuf_printf(b,
                ",\n      \"image_size\": %llu,\n      \"image_address\": %llu,\n      \"entry\": %llu,\n"
                "      \"dtb_address\": %llu,\n      \"dtb_size\": %zu,\n",
                (unsigned long long)c->image_size, (unsigned long long)c->image_address, (unsigned long long)c->entry,
                (unsigned long long)c->dtb_address, c->dtb_size);
    sbuf_printf(b, "      \"console\": \"%s\",\n      \"fault_policy\": \"%s\",\n      \"bootargs\": ",
                c->console == CONSOLE_SBI ? "sbi" : "ns16550", c->fault == FAULT_RESTART ? "restart" : "stop");
    if (c->bootargs != NULL) {
        emit_json_string(b, c->bootargs);
    } else {
        sbuf_puts(b, "null");
    }
    sbuf_printf(b, ",\n      \"dma\": %s,\n      \"hgatp\": %llu,\n      \"doorbell\": ",
                (c->dma == DMA_UNCONFINED) ? "\"unconfined\"" : "null", (unsigned long long)c->hgatp);
    if (c->has_doorbell) {
        sbuf_printf(b, "%llu\n    }", (unsigned long long)c->doorbell);
    } else {
        sbuf_puts(b, "null\n    }");
    }
}

void emit_json(const struct emit_ctx *e, struct sbuf *b)
{
    const struct sys *s = e->s;

    sbuf_puts(b, "{\n  \"system\": ");
    emit_json_string(b, s->model);
    sbuf_puts(b, ",\n  \"platform\": ");
    emit_json_string(b, e->p->name);
    sbuf_printf(b,
                ",\n  \"console_switch_key\": %u,\n  \"hypervisor\": {\"base\": %llu, \"size\": %llu, "
                "\"used\": %llu},\n  \"cells\": [\n",
                e->k->console_switch_key, (unsigned long long)s->hyp.base, (unsigned long long)s->hyp.size,
                (unsigned long long)(e->l->end - e->l->code_base));
    for (unsigned i = 0; i < s->num_cells; i++) {
        emit_cell(b, &s->cells[i]);
        sbuf_puts(b, i + 1U < s->num_cells ? ",\n" : "\n");
    }
    sbuf_puts(b, "  ],\n  \"channels\": [");
    for (unsigned i = 0; i < s->num_channels; i++) {
        const struct channel *ch = &s->channels[i];
        sbuf_printf(b, "%s\n    {\"name\": ", i == 0U ? "" : ",");
        emit_json_string(b, ch->name);
        sbuf_printf(b, ", \"host\": %llu, \"size\": %llu, \"members\": [", (unsigned long long)ch->host,
                    (unsigned long long)ch->size);
        for (unsigned m = 0; m < ch->num_members; m++) {
            const struct chan_member *mb = &ch->members[m];
            sbuf_printf(b, "%s{\"cell\": ", m == 0U ? "" : ", ");
            emit_json_string(b, mb->name);
            sbuf_printf(b, ", \"guest\": %llu, \"access\": \"%s\", \"irq\": %u, \"slot\": %u}",
                        (unsigned long long)mb->guest, emit_access(mb->access), mb->irq,
                        channel_slot(s, (unsigned)mb->cell, i));
        }
        sbuf_puts(b, "]}");
    }
    sbuf_puts(b, (s->num_channels > 0U) ? "\n  ]\n}\n" : "]\n}\n");
}
