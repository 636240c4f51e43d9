using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Platform.Interop.Windows;

internal static partial class Interop
{
    internal static partial class Advapi32
    {
        internal const int SE_FILE_OBJECT = 1;

        internal const uint OWNER_SECURITY_INFORMATION = 0x1;
        internal const uint GROUP_SECURITY_INFORMATION = 0x2;
        internal const uint DACL_SECURITY_INFORMATION = 0x4;

        /// <summary>
        /// GetSecurityInfo, asking only for the whole self-relative descriptor (owner, group, DACL and its control bits such
        /// as SE_DACL_PROTECTED), which the caller frees with LocalFree. Returns a Win32 error, 0 on success.
        /// </summary>
        [LibraryImport(Libraries.Advapi32, EntryPoint = "GetSecurityInfo")]
        internal static unsafe partial int GetSecurityInfo(
            SafeFileHandle handle, int objectType, uint securityInfo, void** owner, void** group, void** dacl, void** sacl, void** securityDescriptor);
    }
}
