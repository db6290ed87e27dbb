/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console output sink: every cell's bytes and the hypervisor's lines go
 * to the one physical UART as they come, so a prompt is visible at once.
 * The stream format (docs/runner.md, "The console stream"):
 *   - every physical line starts with its source's tag, "[name] " for a new
 *     line, "[name]+ " when it continues a line the source had not ended
 *     before another source had to print;
 *   - lines of two sources never mix: while one cell's line is open and that
 *     cell is still printing, another cell's bytes are held (up to HELD_MAX)
 *     until the holding cell ends its line, prints again once the open line
 *     has ended, or HOLD_TICKS pass; then the open physical line is ended
 *     and the held bytes go out. A line left open by a cell that stopped
 *     printing (a prompt) is ended at once. Held bytes go out only from the
 *     holding cell's own hart, the wait timed there (a wakeup interrupt), so
 *     they cost no other cell anything: the cell whose line ends prints none
 *     of them (on a 115200-baud UART, 512 bytes are 44 ms);
 *   - only filtered text (console_filter.h) passes; a backspace never reaches
 *     back over the tag.
 * Each cell has an output budget (a token bucket of CONFIG_CONSOLE_CELL_RATE
 * bytes per second, CONFIG_CONSOLE_CELL_BURST deep): over it, its own bytes
 * are dropped and counted, never another source's, without taking the lock
 * of the shared UART.
 */
#include "bulkhead/console_out.h"
#include "arch/cpu.h"
#include "bulkhead/cell_config.h"
#include "bulkhead/console_filter.h"
#include "bulkhead/format.h"
#include "bulkhead/lib.h"
#include "bulkhead/ns16550.h"
#include "bulkhead/stat_counts.h"
#include "autoconf.h"

#define OWNER_NONE         0xffffffffU /* no physical line is open */
#define HELD_MAX           512U
#define SLICE              16UL                               /* bytes written per hold of the UART lock */
#define HOLD_TICKS         ((uint64_t)BH_TIMEBASE_FREQ / 25U) /* 40 ms: a held prompt still shows within 50 ms */
#define BYTE_BACKSPACE     0x08U
#define DROP_NOTE_INTERVAL ((uint64_t)BH_TIMEBASE_FREQ) /* at most one drop note per cell per second */

struct bh_console_output {
    struct bh_lock lock;
    struct con_filter filter;
    uint32_t line_open;     /* the cell's last line has not ended yet */
    uint32_t tokens;        /* bytes it may still print now */
    uint64_t refilled_at;   /* time the tokens were last topped up to */
    uint64_t dropped;       /* bytes dropped since the last drop note */
    uint64_t noted_at;      /* time of the last drop note */
    uint8_t held[HELD_MAX]; /* filtered text and backspaces waiting for the UART */
    uint32_t held_len;
};

/* Lock order: a cell's output lock, then the UART lock (cell -> console -> UART).
 * The UART lock guards the physical line (owner, column, owner_at) and every
 * cell's held bytes and line_open; a cell's own lock its budget and filter,
 * so bytes over a cell's budget are dropped without touching the UART lock: a
 * flooding cell contends only with itself. The UART lock lets the harts
 * waiting for it in before each slice of a write (uart_lock_after_waiters)
 * but is no FIFO lock: on a host with fewer cores than emulated harts
 * (QEMU), a FIFO lock stalls every waiter behind a waiter whose thread is
 * descheduled; here only a writer's next slice waits for such a waiter. */
/* The physical line and its lock in one struct: the one-byte path
 * (putc_plain) then reaches every field from the lock's address. */
static struct {
    struct bh_lock lock;       /* the UART lock */
    volatile uint32_t waiting; /* harts spinning for it (uart_lock) */
    uint32_t owner;            /* cell whose physical line is open */
    uint32_t column;           /* characters the owner printed on it */
    uint64_t owner_at;         /* time the owner last printed on it */
} uart_line = {.owner = OWNER_NONE};
static struct bh_console_output outputs[BH_NUM_CELLS];

/*
 * The UART lock, taken only here. A plain spin lock goes to whichever hart
 * retries first, and a hart writing slice after slice (a long write, a
 * flood within its budget) retakes it the instant it lets go: another cell's
 * byte, written with its guest's interrupts off, could wait out the writer's
 * whole burst and delay that guest's timer interrupt as long. So a hart that
 * finds the lock taken counts itself in `waiting`, and each slice of a write
 * lets every counted hart in first (uart_lock_after_waiters): a byte waits
 * for the slices of the harts already waiting, SLICE bytes each, not for a
 * burst.
 */
static inline void uart_lock(void)
{
    if (bh_lock_try_acquire(&uart_line.lock) == 0U) {
        (void)__atomic_fetch_add(&uart_line.waiting, 1U, __ATOMIC_RELAXED);
        bh_lock_acquire(&uart_line.lock);
        (void)__atomic_fetch_sub(&uart_line.waiting, 1U, __ATOMIC_RELAXED);
    }
}

static inline void uart_unlock(void)
{
    bh_lock_release(&uart_line.lock);
}

/* A hart counted but not yet in delays this slice only, never the lock. */
static void uart_lock_after_waiters(void)
{
    while (uart_line.waiting != 0U) {
    }
    uart_lock();
}

static void uart_put_string(const char *s)
{
    for (const char *t = s; *t != '\0'; t++) {
        ns16550_putc(*t);
    }
}

static void end_physical_line(void)
{
    if (uart_line.owner != OWNER_NONE) {
        ns16550_putc('\r');
        ns16550_putc('\n');
        uart_line.owner = OWNER_NONE;
    }
}

static void write_whole_line(const char *tag, const char *text, size_t len)
{
    end_physical_line();
    ns16550_putc('[');
    uart_put_string(tag);
    uart_put_string("] ");
    for (size_t i = 0; i < len; i++) {
        ns16550_putc(text[i]);
    }
    ns16550_putc('\r');
    ns16550_putc('\n');
}

void bh_console_write_line(const char *tag, const char *text, size_t len)
{
    uart_lock();
    write_whole_line(tag, text, len);
    uart_unlock();
}

void bh_console_init(void)
{
    ns16550_init();
    for (uint32_t c = 0; c < BH_NUM_CELLS; c++) {
        con_filter_reset(&outputs[c].filter);
        outputs[c].tokens = CONFIG_CONSOLE_CELL_BURST;
        outputs[c].refilled_at = arch_time_now();
    }
}

/* Token bucket: rate bytes per timebase second, whole tokens only; the time
 * of a partial token is kept by advancing refilled_at by what was paid for. */
static void refill(struct bh_console_output *o, uint64_t now)
{
    const uint64_t freq = (uint64_t)BH_TIMEBASE_FREQ;
    const uint64_t rate = (uint64_t)CONFIG_CONSOLE_CELL_RATE;
    uint64_t elapsed = now - o->refilled_at;

    if (elapsed >= freq) {
        o->tokens = CONFIG_CONSOLE_CELL_BURST;
        o->refilled_at = now;
        return;
    }
    uint64_t add = (elapsed * rate) / freq;
    if (add == 0U) {
        return;
    }
    uint64_t sum = (uint64_t)o->tokens + add;
    if (sum >= (uint64_t)CONFIG_CONSOLE_CELL_BURST) {
        o->tokens = CONFIG_CONSOLE_CELL_BURST;
        o->refilled_at = now;
    } else {
        o->tokens = (uint32_t)sum;
        o->refilled_at += (add * freq) / rate;
    }
}

/* Both locks held. */
static void note_drops(uint32_t cell, struct bh_console_output *o, uint64_t now)
{
    char line[96];
    size_t len = bh_format(line, sizeof(line), "console: cell %s over its output budget, %lu bytes dropped",
                           bh_cells[cell].name, o->dropped);
    write_whole_line("bulkhead", line, len);
    o->dropped = 0U;
    o->noted_at = now;
}

static void open_line_of(uint32_t cell, const struct bh_console_output *o)
{
    if (uart_line.owner == cell) {
        return;
    }
    end_physical_line();
    ns16550_putc('[');
    uart_put_string(bh_cells[cell].name);
    uart_put_string((o->line_open != 0U) ? "]+ " : "] ");
    uart_line.owner = cell;
    uart_line.column = 0U;
}

/* A character's first byte: anything but a UTF-8 continuation byte. */
static uint32_t starts_character(uint8_t b)
{
    return ((b & 0xc0U) != 0x80U) ? 1U : 0U;
}

static void put_filtered(uint8_t b)
{
    if (b == BYTE_BACKSPACE) {
        /* Only over what the owner printed on this physical line: never the tag. */
        if (uart_line.column > 0U) {
            ns16550_putc('\b');
            uart_line.column--;
        }
        return;
    }
    ns16550_putc((char)b);
    uart_line.column += starts_character(b);
}

/* The cell gets the physical line and prints what it had held. */
static void take_line(uint32_t cell, struct bh_console_output *o, uint64_t now)
{
    open_line_of(cell, o);
    uart_line.owner_at = now;
    for (uint32_t i = 0U; i < o->held_len; i++) {
        put_filtered(o->held[i]);
    }
    if (o->held_len != 0U) {
        o->line_open = 1U;
    }
    o->held_len = 0U;
}

static void hold(struct bh_console_output *o, const struct con_event *ev)
{
    if (o->held_len == 0U) {
        arch_set_wakeup(arch_time_now() + HOLD_TICKS);
    }
    for (uint32_t i = 0U; i < ev->len; i++) {
        o->held[o->held_len] = ev->text[i];
        o->held_len++;
    }
    if (ev->kind == CON_EVENT_BACKSPACE) {
        o->held[o->held_len] = (uint8_t)BYTE_BACKSPACE;
        o->held_len++;
    }
}

static void end_cell_line(uint32_t cell, struct bh_console_output *o)
{
    if ((uart_line.owner != cell) && (o->line_open == 0U)) {
        open_line_of(cell, o); /* an empty line of its own */
    }
    if (uart_line.owner == cell) {
        end_physical_line();
    }
    o->line_open = 0U;
}

/* Held while another cell's line is open and that cell is still printing. */
static uint32_t must_hold(uint32_t cell, const struct bh_console_output *o, const struct con_event *ev, uint64_t now)
{
    uint32_t other_printing = 0U;

    if ((uart_line.owner != OWNER_NONE) && (uart_line.owner != cell) && ((now - uart_line.owner_at) < HOLD_TICKS)) {
        other_printing = 1U;
    }
    return ((other_printing != 0U) && (ev->kind != CON_EVENT_NEWLINE) && ((o->held_len + ev->len + 1U) <= HELD_MAX))
               ? 1U
               : 0U;
}

static void emit(uint32_t cell, struct bh_console_output *o, const struct con_event *ev, uint64_t now)
{
    if (must_hold(cell, o, ev, now) != 0U) {
        hold(o, ev);
        return;
    }
    if ((o->held_len != 0U) || (ev->len != 0U) || (ev->kind == CON_EVENT_BACKSPACE)) {
        take_line(cell, o, now);
    }
    for (uint32_t i = 0U; i < ev->len; i++) {
        put_filtered(ev->text[i]);
    }
    if (ev->len != 0U) {
        o->line_open = 1U;
    }
    if (ev->kind == CON_EVENT_BACKSPACE) {
        put_filtered((uint8_t)BYTE_BACKSPACE);
    } else if (ev->kind == CON_EVENT_NEWLINE) {
        end_cell_line(cell, o);
    } else {
        /* text only */
    }
}

void bh_console_cell_flush(uint32_t cell)
{
    uart_lock();
    if (outputs[cell].held_len != 0U) {
        take_line(cell, &outputs[cell], arch_time_now());
    }
    uart_unlock();
}

void bh_console_cell_end_run(uint32_t cell)
{
    struct bh_console_output *o = &outputs[cell];

    bh_lock_acquire(&o->lock);
    uart_lock();
    uint64_t now = arch_time_now();
    if (o->held_len != 0U) {
        take_line(cell, o, now);
    }
    if (uart_line.owner == cell) {
        end_physical_line();
    }
    o->line_open = 0U;
    con_filter_reset(&o->filter);
    uart_unlock();
    bh_lock_release(&o->lock);
}

/* Writes up to SLICE bytes: what the budget allows goes out under one hold
 * of the UART lock, taken after the harts waiting for it, the rest is
 * dropped. Returns the bytes dropped. */
static uint64_t write_slice(uint32_t cell, const uint8_t *bytes, size_t len, uint64_t *replaced)
{
    struct bh_console_output *o = &outputs[cell];

    bh_lock_acquire(&o->lock);
    uint64_t now = arch_time_now();
    refill(o, now);
    size_t allowed = (len < (size_t)o->tokens) ? len : (size_t)o->tokens;
    o->tokens -= (uint32_t)allowed;
    uint64_t dropped = (uint64_t)len - (uint64_t)allowed;
    o->dropped += dropped;
    uint32_t note = 0U;
    if ((o->dropped != 0U) && ((now - o->noted_at) >= DROP_NOTE_INTERVAL)) {
        note = 1U;
    }
    if ((allowed != 0U) || (note != 0U)) {
        uart_lock_after_waiters();
        if (note != 0U) {
            note_drops(cell, o, now);
        }
        for (size_t i = 0; i < allowed; i++) {
            struct con_event ev;
            con_filter_byte(&o->filter, bytes[i], &ev);
            *replaced += ev.replaced;
            emit(cell, o, &ev, now);
        }
        uart_unlock();
    }
    bh_lock_release(&o->lock);
    return dropped;
}

void bh_console_cell_write(uint32_t cell, const uint8_t *bytes, size_t len)
{
    struct bh_hart *h = arch_this_hart();
    uint64_t dropped = 0U;
    uint64_t replaced = 0U;

    /* A long write takes the UART lock slice by slice, each after the harts
     * waiting for it, so a cell printing one byte per exit waits behind a
     * slice of another hart, not a whole chunk or burst. */
    for (size_t done = 0; done < len; done += SLICE) {
        size_t left = len - done;
        size_t n = (left < (size_t)SLICE) ? left : (size_t)SLICE;
        dropped += write_slice(cell, &bytes[done], n, &replaced);
    }
    bh_stat_add(&h->stats, BH_STAT_CONSOLE_DROPPED, dropped);
    bh_stat_add(&h->stats, BH_STAT_CONSOLE_REPLACED, replaced);
}

/* The general way of one byte. Not inlined: the byte's copy in memory
 * would give its callers a frame on the plain way too. */
static void putc_general(uint32_t cell, uint8_t b) __attribute__((noinline));
static void putc_general(uint32_t cell, uint8_t b)
{
    bh_console_cell_write(cell, &b, 1U);
}

/*
 * The most frequent byte of all, one emulated THR write or SBI putchar: a
 * printable ASCII character (the filter passes it unchanged and is between
 * sequences) from the cell whose physical line is open, with nothing held
 * and budget left. It goes out here with exactly what write_slice and emit
 * would do for it (refill, one token, the byte, the column, owner_at), under
 * the same two locks; anything else (a line end, a control or UTF-8 byte,
 * another cell's line, held bytes, drops to note, no token) takes the
 * general way, after the locks are released. The plain way calls nothing
 * (the time and the UART inline), so it saves no register; o comes as an
 * argument (not inlined) because GCC otherwise recomputes &outputs[cell]
 * after every lock operation (and the exits' callers have it at hand:
 * bh_console_output_putc).
 */
static void putc_plain(struct bh_console_output *o, uint32_t cell, uint8_t b) __attribute__((noinline));
static void putc_plain(struct bh_console_output *o, uint32_t cell, uint8_t b)
{
    uint32_t done = 0U;

    bh_lock_acquire(&o->lock);
    uint64_t now = arch_time_now_inline();
    refill(o, now);
    /* A copy: o->tokens would be loaded again after the UART lock's acquire. */
    const uint32_t tokens = o->tokens;
    if ((tokens != 0U) && (o->dropped == 0U) && (o->filter.need == 0U)) {
        uart_lock();
        if ((uart_line.owner == cell) && (o->held_len == 0U)) {
            o->tokens = tokens - 1U;
            uart_line.owner_at = now;
            ns16550_putc_inline((char)b);
            uart_line.column++;
            o->line_open = 1U;
            done = 1U;
        }
        uart_unlock();
    }
    bh_lock_release(&o->lock);
    if (done == 0U) {
        putc_general(cell, b);
    }
}

struct bh_console_output *bh_console_output_of(uint32_t cell)
{
    return &outputs[cell];
}

void bh_console_output_putc(struct bh_console_output *o, uint32_t cell, char c)
{
    const uint8_t b = (uint8_t)c;

    if ((b < 0x20U) || (b >= 0x7fU)) {
        putc_general(cell, b);
    } else {
        putc_plain(o, cell, b);
    }
}

void bh_console_cell_putc(uint32_t cell, char c)
{
    bh_console_output_putc(&outputs[cell], cell, c);
}
