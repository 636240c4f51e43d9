using System.Runtime.InteropServices;

namespace AtomicFiles.PowerLoss.Interop;

internal static partial class Libc
{
    internal const nuint LoopCtlGetFree = 0x4C82;
    internal const nuint LoopConfigure = 0x4C0A;
    internal const nuint LoopClrFd = 0x4C01;

    /// <summary>Detach the device when its last opener closes: a crashed harness cannot leak it past its mount.</summary>
    internal const uint LoFlagsAutoclear = 4;

    /// <summary>The loop device reads and writes its backing file with O_DIRECT, so its flushes reach the recorder.</summary>
    internal const uint LoFlagsDirectIo = 16;

    /// <summary>struct loop_config from linux/loop.h (304 bytes): fd, block size, loop_info64, reserved.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct LoopConfig
    {
        internal uint Fd;
        internal uint BlockSize;
        internal LoopInfo64 Info;
        internal fixed ulong Reserved[8];
    }

    /// <summary>struct loop_info64 (232 bytes); the harness sets only lo_flags.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct LoopInfo64
    {
        internal ulong Device;
        internal ulong Inode;
        internal ulong RDevice;
        internal ulong Offset;
        internal ulong SizeLimit;
        internal uint Number;
        internal uint EncryptType;
        internal uint EncryptKeySize;
        internal uint Flags;
        internal fixed byte FileName[64];
        internal fixed byte CryptName[64];
        internal fixed byte EncryptKey[32];
        internal fixed ulong Init[2];
    }

    /// <summary>ioctl(LOOP_CONFIGURE): attach a backing file and set its flags in one call (Linux ≥ 5.8).</summary>
    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    internal static unsafe partial int IoctlLoopConfigure(int fd, nuint request, LoopConfig* config);
}
