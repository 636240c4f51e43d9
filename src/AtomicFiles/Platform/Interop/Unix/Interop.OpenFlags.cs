using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    /// <summary>
    /// open(2) flag values. They differ between macOS and Linux, and on Linux between the generic
    /// layout (x64, x86, riscv64, s390x, loongarch64) and the arm/powerpc one.
    /// </summary>
    internal static class OpenFlags
    {
        internal const int O_RDONLY = 0;
        internal const int O_WRONLY = 1;
        internal const int O_RDWR = 2;

        internal static readonly int O_CREAT;
        internal static readonly int O_EXCL;
        internal static readonly int O_NOFOLLOW;
        internal static readonly int O_CLOEXEC;
        internal static readonly int O_DIRECTORY;

        /// <summary>Linux O_PATH (the same on x64 and arm64): a handle for *at calls that needs no read permission. 0 elsewhere.</summary>
        internal static int O_PATH => OperatingSystem.IsLinux() ? 0x200000 : 0;

        // 04000 on every Linux architecture .NET runs on; the BSD value on macOS and FreeBSD.
        internal static int O_NONBLOCK => OperatingSystem.IsLinux() ? 0x800 : 0x4;

#pragma warning disable CA1810 // One branch per platform reads better than five ternaries per field.
        static OpenFlags()
#pragma warning restore CA1810
        {
            if (OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS() || OperatingSystem.IsMacCatalyst())
            {
                (O_CREAT, O_EXCL, O_NOFOLLOW, O_CLOEXEC, O_DIRECTORY) = (0x200, 0x800, 0x100, 0x1000000, 0x100000);
            }
            else if (OperatingSystem.IsFreeBSD())
            {
                (O_CREAT, O_EXCL, O_NOFOLLOW, O_CLOEXEC, O_DIRECTORY) = (0x200, 0x800, 0x100, 0x100000, 0x20000);
            }
            else if (RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64
                     or Architecture.Armv6 or Architecture.Ppc64le)
            {
                (O_CREAT, O_EXCL, O_NOFOLLOW, O_CLOEXEC, O_DIRECTORY) = (0x40, 0x80, 0x8000, 0x80000, 0x4000);
            }
            else
            {
                (O_CREAT, O_EXCL, O_NOFOLLOW, O_CLOEXEC, O_DIRECTORY) = (0x40, 0x80, 0x20000, 0x80000, 0x10000);
            }
        }
    }
}
