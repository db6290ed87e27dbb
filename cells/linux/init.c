/*
 * Bulkhead Linux cell: the static /init of the built-in initramfs.
 *
 * Prints what the cell sees (kernel, harts, memory, interrupts), then runs a
 * tiny command loop on the console so tests can drive the cell:
 *   echo TEXT   prints TEXT
 *   cat FILE    prints FILE
 *   poweroff    reboot(RB_POWER_OFF)  (SBI SRST shutdown: the cell stops)
 *   reboot      reboot(RB_AUTOBOOT)   (SBI SRST reboot: the cell restarts)
 * Anything else prints "unknown command: X".
 *
 * Built with riscv64-linux-gnu-gcc -static -Os (glibc).  PID 1 must never
 * exit (the kernel would panic), so every error is reported and survived.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#define LINE_MAX_LEN 256

static void mount_fs(const char *source, const char *target, const char *type)
{
	if (mkdir(target, 0755) != 0 && errno != EEXIST)
		printf("bulkhead-linux: mkdir %s: %s\n", target, strerror(errno));
	if (mount(source, target, type, 0, NULL) != 0 && errno != EBUSY)
		printf("bulkhead-linux: mount %s on %s: %s\n", type, target,
		       strerror(errno));
}

/* The kernel opens /dev/console as fds 0-2 when the initramfs has the node;
 * if it could not, open it ourselves (devtmpfs provides it by now). */
static void console_stdio(void)
{
	int fd;

	if (fcntl(0, F_GETFD) != -1 && fcntl(1, F_GETFD) != -1 &&
	    fcntl(2, F_GETFD) != -1)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

static int cat_file(const char *path)
{
	char buf[512];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		printf("cat: %s: %s\n", path, strerror(errno));
		return -1;
	}
	fflush(stdout);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		ssize_t off = 0;

		while (off < n) {
			ssize_t w = write(1, buf + off, (size_t)(n - off));

			if (w < 0) {
				if (errno == EINTR)
					continue;
				close(fd);
				return -1;
			}
			off += w;
		}
	}
	if (n < 0)
		printf("cat: %s: %s\n", path, strerror(errno));
	close(fd);
	return n < 0 ? -1 : 0;
}

static int count_cpus(void)
{
	char line[LINE_MAX_LEN];
	int n = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "processor", 9) == 0 &&
		    (line[9] == ' ' || line[9] == '\t' || line[9] == ':'))
			n++;
	fclose(f);
	return n;
}

static long mem_total_kb(void)
{
	char line[LINE_MAX_LEN];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "MemTotal: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void report(void)
{
	struct utsname u;

	printf("bulkhead-linux: init started\n");
	if (uname(&u) == 0)
		printf("uname: %s %s %s\n", u.sysname, u.release, u.machine);
	else
		printf("uname: %s\n", strerror(errno));
	printf("cpus: %d\n", count_cpus());
	printf("memtotal-kb: %ld\n", mem_total_kb());
	printf("interrupts:\n");
	cat_file("/proc/interrupts");
	fflush(stdout);
}

/* Reads one line from fd 0 without stdio buffering, so nothing typed ahead
 * is lost.  Returns its length, or -1 at end of input / error. */
static int read_line(char *buf, size_t size)
{
	size_t len = 0;

	for (;;) {
		char c;
		ssize_t n = read(0, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return len > 0 ? (int)len : -1;
		if (c == '\r' || c == '\n') {
			if (len == 0)
				continue; /* blank line or the \n of \r\n */
			break;
		}
		if (len + 1 < size)
			buf[len++] = c;
	}
	buf[len] = '\0';
	return (int)len;
}

static void do_reboot(int how, const char *what)
{
	printf("bulkhead-linux: %s\n", what);
	fflush(stdout);
	sync();
	if (reboot(how) != 0)
		printf("%s: %s\n", what, strerror(errno));
}

static void run_command(char *line)
{
	char *cmd = line;
	char *arg;

	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	arg = cmd + strcspn(cmd, " \t");
	if (*arg != '\0') {
		*arg++ = '\0';
		while (*arg == ' ' || *arg == '\t')
			arg++;
	}

	if (*cmd == '\0')
		return;
	if (strcmp(cmd, "echo") == 0)
		printf("%s\n", arg);
	else if (strcmp(cmd, "cat") == 0)
		cat_file(arg);
	else if (strcmp(cmd, "poweroff") == 0)
		do_reboot(RB_POWER_OFF, "poweroff");
	else if (strcmp(cmd, "reboot") == 0)
		do_reboot(RB_AUTOBOOT, "reboot");
	else
		printf("unknown command: %s\n", cmd);
}

int main(void)
{
	char line[LINE_MAX_LEN];

	mount_fs("devtmpfs", "/dev", "devtmpfs");
	console_stdio();
	mount_fs("proc", "/proc", "proc");
	mount_fs("sysfs", "/sys", "sysfs");
	setvbuf(stdout, NULL, _IOLBF, 0);

	report();

	for (;;) {
		printf("linux# ");
		fflush(stdout);
		/* End of input or no console: wait, then try again quietly. */
		while (read_line(line, sizeof(line)) < 0)
			sleep(1);
		run_command(line);
		fflush(stdout);
	}
}
