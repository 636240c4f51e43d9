using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Platform.Interop.Windows;

internal static partial class Interop
{
    internal static partial class Kernel32
    {
        internal const uint DELETE = 0x00010000;
        internal const uint READ_CONTROL = 0x00020000;
        internal const uint SYNCHRONIZE = 0x00100000;
        internal const uint GENERIC_WRITE = 0x40000000;

        internal const uint FILE_SHARE_READ = 0x1;
        internal const uint FILE_SHARE_WRITE = 0x2;
        internal const uint FILE_SHARE_DELETE = 0x4;

        internal const uint CREATE_NEW = 1;
        internal const uint OPEN_EXISTING = 3;

        internal const uint FILE_FLAG_OPEN_REPARSE_POINT = 0x00200000;

        [StructLayout(LayoutKind.Sequential)]
        internal unsafe struct SECURITY_ATTRIBUTES
        {
            internal int nLength;
            internal void* lpSecurityDescriptor;
            internal int bInheritHandle;
        }

        /// <summary>CreateFileW: the BCL's opens take no security descriptor and no DELETE access, which the temp needs.</summary>
        [LibraryImport(Libraries.Kernel32, EntryPoint = "CreateFileW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
        internal static unsafe partial SafeFileHandle CreateFile(
            string fileName, uint desiredAccess, uint shareMode, SECURITY_ATTRIBUTES* securityAttributes, uint creationDisposition, uint flagsAndAttributes, nint templateFile);
    }
}
