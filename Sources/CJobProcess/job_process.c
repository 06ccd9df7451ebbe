#include "job_process.h"
#include <sys/prctl.h>

int vitrine_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}

int vitrine_set_no_new_privileges(void) {
    return prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL);
}

#include <malloc.h>

int vitrine_mmap_large_buffers(int threshold) {
    return mallopt(M_MMAP_THRESHOLD, threshold) == 1 ? 0 : -1;
}
