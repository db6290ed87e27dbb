/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bulkhead Linux cell: the static /init (PID 1) of the built-in initramfs.
 *
 * Mounts devtmpfs, proc and sysfs, prints what the cell sees (kernel, harts,
 * memory, interrupts), then runs BusyBox's shell (/bin/sh, prompt "linux# ")
 * on the console, again whenever it ends, and reaps orphans.  BusyBox's
 * halt, poweroff and reboot signal PID 1 as they would signal BusyBox's
 * init (init/halt.c: SIGUSR1, SIGUSR2, SIGTERM); this init answers with the
 * reboot system call, which the kernel turns into SBI SRST: the hypervisor
 * stops or restarts this cell only.
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
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define LINE_MAX_LEN 256
/* BusyBox, with its applet links in /bin and /sbin (cells/linux/busybox.mk). */
#define SHELL_PATH "/bin/sh"

static void ignore_signal(int sig)
{
	(void)sig;
}

static void install_handlers(const sigset_t *set)
{
	struct sigaction sa;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ignore_signal;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(set, sig) == 1)
			sigaction(sig, &sa, NULL);
}

static void mount_fs(const char *source, const char *target, const char *type)
{
	if (mkdir(target, 0755) != 0 && errno != EEXIST)
		printf("bulkhead-linux: mkdir %s: %s\n", target, strerror(errno));
	if (mount(source, target, type, 0, NULL) != 0 && errno != EBUSY)
		printf("bulkhead-linux: mount %s on %s: %s\n", type, target, strerror(errno));
}

/* The kernel opens /dev/console as fds 0-2 when the initramfs has the node;
 * if it could not, open it ourselves (devtmpfs provides it by now). */
static void console_stdio(void)
{
	int fd;

	if (fcntl(0, F_GETFD) != -1 && fcntl(1, F_GETFD) != -1 && fcntl(2, F_GETFD) != -1)
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
	static const char key[] = "processor";
	const size_t key_len = sizeof(key) - 1;
	char line[LINE_MAX_LEN];
	int n = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, key_len) == 0 &&
		    (line[key_len] == ' ' || line[key_len] == '\t' || line[key_len] == ':'))
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

/* The tty behind /dev/console: the last name in
 * /sys/class/tty/console/active (Documentation/ABI/testing/sysfs-tty), e.g.
 * "ttyS0" or "hvc0".  The shell must open the real device: /dev/console
 * cannot become a controlling terminal, and without one ash has no job
 * control (Ctrl-C, Ctrl-Z).  Returns 0 and "/dev/NAME" in path, or -1. */
static int console_device(char *path, size_t size)
{
	char line[LINE_MAX_LEN];
	char *name;
	FILE *f = fopen("/sys/class/tty/console/active", "r");

	if (f == NULL)
		return -1;
	if (fgets(line, sizeof(line), f) == NULL) {
		fclose(f);
		return -1;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	name = strrchr(line, ' ');
	name = name != NULL ? name + 1 : line;
	if (*name == '\0' || snprintf(path, size, "/dev/%s", name) >= (int)size)
		return -1;
	return 0;
}

/* Child side of start_shell: a session of its own with the console as its
 * controlling terminal, the signal mask of a normal process, then exec. */
static void exec_shell(const sigset_t *mask)
{
	/* "sh", not the path: its messages read "sh: x: not found". */
	static char *const argv[] = {"sh", NULL};
	static char *const envp[] = {"PATH=/sbin:/bin", "HOME=/", "TERM=vt100", "PS1=linux# ",
				     NULL};
	char tty[64];
	int fd = -1;

	sigprocmask(SIG_SETMASK, mask, NULL);
	setsid();
	if (console_device(tty, sizeof(tty)) == 0)
		fd = open(tty, O_RDWR);
	if (fd < 0)
		fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		ioctl(fd, TIOCSCTTY, 0);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (chdir("/") != 0)
		printf("bulkhead-linux: chdir /: %s\n", strerror(errno));
	execve(SHELL_PATH, argv, envp);
	printf("bulkhead-linux: cannot run %s: %s\n", SHELL_PATH, strerror(errno));
	_exit(127);
}

static pid_t start_shell(const sigset_t *mask)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		exec_shell(mask);
	if (pid < 0)
		printf("bulkhead-linux: fork: %s\n", strerror(errno));
	return pid;
}

static void do_reboot(int how, const char *what)
{
	printf("bulkhead-linux: %s\n", what);
	fflush(stdout);
	/* The line sits in the tty's transmit buffer until the UART has sent
	 * it; the reboot call stops the cell at once and would lose it. */
	tcdrain(STDOUT_FILENO);
	/* Nothing else may write to the console after this line. */
	kill(-1, SIGKILL);
	sync();
	if (reboot(how) != 0)
		printf("%s: %s\n", what, strerror(errno));
}

/* Never returns: PID 1 must not exit (the kernel would panic). */
static void supervise(void)
{
	sigset_t wanted;
	sigset_t old;
	pid_t shell = -1;
	int respawns = 0;

	/* The signals BusyBox's halt, poweroff and reboot send to PID 1, and
	 * SIGCHLD.  Blocked and taken with sigwaitinfo: no handler races with
	 * the wait.  The kernel delivers a signal to PID 1 only if it has a
	 * handler or blocks it (kernel/signal.c, sig_ignored); the empty
	 * handlers make that hold either way. */
	sigemptyset(&wanted);
	sigaddset(&wanted, SIGUSR1);
	sigaddset(&wanted, SIGUSR2);
	sigaddset(&wanted, SIGTERM);
	sigaddset(&wanted, SIGCHLD);
	install_handlers(&wanted);
	sigprocmask(SIG_BLOCK, &wanted, &old);

	for (;;) {
		siginfo_t info;
		int status;
		pid_t pid;

		if (shell < 0) {
			/* A shell that dies at once (missing, or end of
			 * input) must not spin: pause before each restart. */
			if (respawns++ > 0)
				sleep(1);
			shell = start_shell(&old);
			continue;
		}
		if (sigwaitinfo(&wanted, &info) < 0)
			continue;
		switch (info.si_signo) {
		case SIGUSR2: do_reboot(RB_POWER_OFF, "poweroff"); break;
		case SIGUSR1: do_reboot(RB_HALT_SYSTEM, "halt"); break;
		case SIGTERM: do_reboot(RB_AUTOBOOT, "reboot"); break;
		default: /* SIGCHLD: reap every child that ended */
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
				if (pid == shell) {
					shell = -1;
					printf("bulkhead-linux: shell ended (%s %d), "
					       "starting a new one\n",
					       WIFEXITED(status) ? "status" : "signal",
					       WIFEXITED(status) ? WEXITSTATUS(status)
								 : WTERMSIG(status));
				}
			}
			break;
		}
	}
}

int main(void)
{
	mount_fs("devtmpfs", "/dev", "devtmpfs");
	console_stdio();
	mount_fs("proc", "/proc", "proc");
	mount_fs("sysfs", "/sys", "sysfs");
	setvbuf(stdout, NULL, _IOLBF, 0);

	report();
	supervise();
	return 0;
}
