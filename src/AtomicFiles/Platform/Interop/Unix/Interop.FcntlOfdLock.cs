using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        // Linux open-file-description locks (kernel 3.15+); asm-generic values, shared by every 64-bit architecture.
        internal const int F_OFD_GETLK = 36;
        internal const int F_OFD_SETLK = 37;
        internal const int F_OFD_SETLKW = 38;

        internal const short F_RDLCK = 0;
        internal const short F_WRLCK = 1;
        internal const short F_UNLCK = 2;

        /// <summary>
        /// struct flock on 64-bit Linux (x64 and arm64 checked against glibc's header: 32 bytes, these offsets).
        /// All zero but the type means the whole file (SEEK_SET, start 0, length 0), and l_pid must be 0 for OFD locks.
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = 32)]
        internal struct FileLockRange
        {
            [FieldOffset(0)]
            internal short Type;

            [FieldOffset(2)]
            internal short Whence;

            [FieldOffset(8)]
            internal long Start;

            [FieldOffset(16)]
            internal long Length;

            [FieldOffset(24)]
            internal int Pid;
        }

        /// <summary>fcntl(2) with a lock command (F_OFD_*), retried on EINTR. Returns 0, or -1 with errno set.</summary>
        internal static unsafe int FcntlLock(SafeHandle fd, int command, ref FileLockRange range)
        {
            fixed (FileLockRange* pointer = &range)
            {
                return RetryOnEintr((fd, command, range: (nint)pointer), static a => FcntlLockInterruptible(a.fd, a.command, (FileLockRange*)a.range));
            }
        }

        // fcntl is variadic; on 64-bit Linux (System V x64, AAPCS64) a variadic pointer travels like a fixed one.
        [LibraryImport(Libraries.Libc, EntryPoint = "fcntl", SetLastError = true)]
        private static unsafe partial int FcntlLockInterruptible(SafeHandle fd, int command, FileLockRange* range);
    }
}
