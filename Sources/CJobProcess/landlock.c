// Landlock for a job process (see job_process.h). The constants are the kernel's UAPI values; they
// are spelled here because Debian 12's headers stop at ABI 2 while its kernels (and later ones)
// offer more, and each right is asked for only when the running kernel's ABI has it.
#define _GNU_SOURCE
#include "job_process.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

#define LL_VERSION_FLAG (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define FS_EXECUTE (1ULL << 0)
#define FS_WRITE_FILE (1ULL << 1)
#define FS_READ_FILE (1ULL << 2)
#define FS_READ_DIR (1ULL << 3)
#define FS_ABI1_ALL ((1ULL << 13) - 1)
#define FS_REFER (1ULL << 13)
#define FS_TRUNCATE (1ULL << 14)
#define FS_IOCTL_DEV (1ULL << 15)
#define NET_BIND_TCP (1ULL << 0)
#define NET_CONNECT_TCP (1ULL << 1)
#define SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define SCOPE_SIGNAL (1ULL << 1)

struct ruleset_attr { uint64_t handled_access_fs, handled_access_net, scoped; };
struct path_beneath_attr { uint64_t allowed_access; int32_t parent_fd; } __attribute__((packed));

static uint64_t handled_fs(int abi) {
    uint64_t fs = FS_ABI1_ALL;
    if (abi >= 2) fs |= FS_REFER;
    if (abi >= 3) fs |= FS_TRUNCATE;
    if (abi >= 5) fs |= FS_IOCTL_DEV;
    return fs;
}

/// Rights a regular file (or device) can carry: the others apply to directories only.
static uint64_t file_rights(uint64_t rights) {
    return rights & (FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV);
}

static int allow(int ruleset, const char *path, uint64_t rights) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? 0 : -1;  // what does not exist needs no rule
    struct stat st;
    if (fstat(fd, &st) != 0) { close(fd); return -1; }
    struct path_beneath_attr rule = { S_ISDIR(st.st_mode) ? rights : file_rights(rights), fd };
    long result = syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0);
    close(fd);
    return result == 0 ? 0 : -1;
}

int vitrine_landlock_abi(void) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_VERSION_FLAG);
    return abi < 0 ? 0 : (int)abi;
}

int vitrine_landlock_confine(const char *const *readable, int readable_count, const char *const *writable, int writable_count) {
    int abi = vitrine_landlock_abi();
    if (abi < 1) return 0;
    struct ruleset_attr attr = { handled_fs(abi), 0, 0 };
    size_t size = sizeof(uint64_t);
    if (abi >= 4) { attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP; size = 2 * sizeof(uint64_t); }
    if (abi >= 6) { attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL; size = sizeof attr; }
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (ruleset < 0) return -1;
    const uint64_t read = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR;
    for (int i = 0; i < readable_count; i++) {
        if (allow(ruleset, readable[i], read) != 0) { int saved = errno; close(ruleset); errno = saved; return -1; }
    }
    for (int i = 0; i < writable_count; i++) {
        if (allow(ruleset, writable[i], attr.handled_access_fs) != 0) { int saved = errno; close(ruleset); errno = saved; return -1; }
    }
    long result = syscall(SYS_landlock_restrict_self, ruleset, 0);
    int saved = errno;
    close(ruleset);
    errno = saved;
    return result == 0 ? abi : -1;
}
