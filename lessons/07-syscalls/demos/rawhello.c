/* A system call three ways: the C library's write(), syscall(), and the instruction itself. */
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    write(1, "hello, write()\n", 15);                 /* libc's wrapper */
    syscall(SYS_write, 1, "hello, syscall()\n", 17);  /* the generic wrapper: number + args */

    const char msg[] = "hello, asm\n";
    long ret;
    __asm__ volatile ("syscall"                       /* x86-64: rax = number, rdi rsi rdx = args */
                      : "=a"(ret)
                      : "a"(1L), "D"(1L), "S"(msg), "d"(sizeof msg - 1)
                      : "rcx", "r11", "memory");      /* the CPU overwrites rcx and r11 */
    return ret == sizeof msg - 1 ? 0 : 1;
}
