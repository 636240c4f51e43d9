namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    internal static partial class Sys
    {
        /// <summary>The file type bits of st_mode (S_IFMT and its values), the same on Linux and macOS.</summary>
        internal static class FileTypes
        {
            internal const uint S_IFMT = 0xF000;
            internal const uint S_IFIFO = 0x1000;
            internal const uint S_IFCHR = 0x2000;
            internal const uint S_IFDIR = 0x4000;
            internal const uint S_IFBLK = 0x6000;
            internal const uint S_IFREG = 0x8000;
            internal const uint S_IFLNK = 0xA000;
            internal const uint S_IFSOCK = 0xC000;
        }
    }
}
