using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Platform.Interop.Windows;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        /// <summary>FILE_INFO_BY_HANDLE_CLASS.FileRenameInfo: the classic rename (MoveFileEx's), whose first byte is ReplaceIfExists.</summary>
        internal const int FileRenameInfo = 3;

        /// <summary>FILE_INFO_BY_HANDLE_CLASS.FileRenameInfoEx (Windows 10 1607 and later): a rename whose flags word takes the options below.</summary>
        internal const int FileRenameInfoEx = 22;

        internal const uint FILE_RENAME_FLAG_REPLACE_IF_EXISTS = 0x1;

        /// <summary>
        /// Replace the target name even while the replaced file is open (with FILE_SHARE_DELETE): its open handles keep the
        /// old file, as on Unix, instead of failing the rename.
        /// </summary>
        internal const uint FILE_RENAME_FLAG_POSIX_SEMANTICS = 0x2;

        [LibraryImport(Libraries.Kernel32, EntryPoint = "SetFileInformationByHandle", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        internal static unsafe partial bool SetFileInformationByHandle(SafeFileHandle file, int fileInformationClass, void* fileInformation, uint bufferSize);
    }
}
