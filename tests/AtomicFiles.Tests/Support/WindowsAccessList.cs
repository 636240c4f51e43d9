using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;

namespace AtomicFiles.Tests.Support;

/// <summary>
/// A file's access list as SDDL, read through .NET and set through SetFileSecurityW. Not through FileSystemAclExtensions
/// .SetAccessControl: Wine leaves the list it writes (with PROTECTED_DACL_SECURITY_INFORMATION) unapplied.
/// </summary>
[SupportedOSPlatform("windows")]
internal static partial class WindowsAccessList
{
    private const uint DaclSecurityInformation = 0x4;
    private const uint SddlRevision1 = 1;

    /// <summary>The file's DACL in SDDL (D:...), as Windows reads it back.</summary>
    internal static string Of(string path) =>
        new FileInfo(path).GetAccessControl().GetSecurityDescriptorSddlForm(AccessControlSections.Access);

    /// <summary>The SID of the file's owner, in SDDL.</summary>
    internal static string OwnerOf(string path) =>
        ((SecurityIdentifier)new FileInfo(path).GetAccessControl().GetOwner(typeof(SecurityIdentifier))!).Value;

    /// <summary>Replaces the file's DACL with <paramref name="daclSddl"/> (D:...).</summary>
    internal static void Set(string path, string daclSddl)
    {
        if (!ConvertStringSecurityDescriptorToSecurityDescriptor(daclSddl, SddlRevision1, out var descriptor, 0))
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }

        try
        {
            if (!SetFileSecurity(path, DaclSecurityInformation, descriptor))
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            LocalFree(descriptor);
        }
    }

    [LibraryImport("advapi32.dll", EntryPoint = "ConvertStringSecurityDescriptorToSecurityDescriptorW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool ConvertStringSecurityDescriptorToSecurityDescriptor(string sddl, uint revision, out nint descriptor, nint size);

    [LibraryImport("advapi32.dll", EntryPoint = "SetFileSecurityW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool SetFileSecurity(string path, uint securityInformation, nint descriptor);

    [LibraryImport("kernel32.dll")]
    private static partial nint LocalFree(nint memory);
}
