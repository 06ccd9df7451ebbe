// What a job process asks of the kernel that Swift cannot call directly (prctl is variadic).
#ifndef VITRINE_JOB_PROCESS_H
#define VITRINE_JOB_PROCESS_H

/// Has the kernel send `signal` to this process when its parent dies. Returns 0, or -1 and errno.
int vitrine_set_parent_death_signal(int signal);

/// No exec from here on can gain privileges (setuid, file capabilities). Returns 0, or -1 and errno.
int vitrine_set_no_new_privileges(void);

#endif
