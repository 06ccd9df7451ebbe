// What a job process asks of the kernel that Swift cannot call directly (prctl is variadic,
// Landlock has no libc wrapper).
#ifndef VITRINE_JOB_PROCESS_H
#define VITRINE_JOB_PROCESS_H

/// Has the kernel send `signal` to this process when its parent dies. Returns 0, or -1 and errno.
int vitrine_set_parent_death_signal(int signal);

/// No exec from here on can gain privileges (setuid, file capabilities). Returns 0, or -1 and errno.
int vitrine_set_no_new_privileges(void);

/// Allocations of `threshold` bytes and more always come from mmap, and go back to the system
/// when freed (glibc otherwise raises the threshold after the first such free). 0, or -1.
int vitrine_mmap_large_buffers(int threshold);

// Landlock (Linux 5.13 and later): a job process confines itself before it touches media.

/// The kernel's Landlock ABI version; 0 when Landlock is absent or disabled.
int vitrine_landlock_abi(void);

/// Restricts this process, for good: files and folders are read only beneath `readable` and
/// written only beneath `writable`; with ABI 4, no TCP bind or connect; with ABI 6, no signal and
/// no abstract Unix socket outside its own Landlock domain (its supervisor included). Needs
/// no_new_privs. Returns the ABI applied, 0 when the kernel has no Landlock (nothing changed),
/// or -1 and errno.
int vitrine_landlock_confine(const char *const *readable, int readable_count, const char *const *writable, int writable_count);

#endif
