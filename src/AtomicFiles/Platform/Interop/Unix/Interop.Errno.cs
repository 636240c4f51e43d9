namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    /// <summary>The errno values the library acts on. Linux and macOS agree on all but the ones split below.</summary>
    internal static class Errno
    {
        internal const int EPERM = 1;
        internal const int ENOENT = 2;
        internal const int EINTR = 4;
        internal const int ENXIO = 6;
        internal const int EBADF = 9;
        internal const int EACCES = 13;
        internal const int EEXIST = 17;
        internal const int EXDEV = 18;
        internal const int ENOTDIR = 20;
        internal const int EISDIR = 21;
        internal const int EINVAL = 22;
        internal const int ENOTTY = 25;
        internal const int EROFS = 30;
        internal static int EWOULDBLOCK => OperatingSystem.IsLinux() ? 11 : 35;
        internal static int ELOOP => OperatingSystem.IsLinux() ? 40 : 62;
        internal static int ENAMETOOLONG => OperatingSystem.IsLinux() ? 36 : 63;
        internal static int ENOSYS => OperatingSystem.IsLinux() ? 38 : 78;
        internal static int ENOTSUP => OperatingSystem.IsLinux() ? 95 : 45;
        internal static int ENOTEMPTY => OperatingSystem.IsLinux() ? 39 : 66;
    }
}
