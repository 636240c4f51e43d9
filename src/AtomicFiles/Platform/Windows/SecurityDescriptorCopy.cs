using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Windows.Interop;

namespace AtomicFiles.Platform.Windows;

/// <summary>
/// A file's security descriptor (owner, group and DACL, with its protection from inheritance), read to create another
/// file with it from the first byte: the Windows twin of creating the temp with the replaced file's mode.
/// </summary>
internal sealed unsafe class SecurityDescriptorCopy : IDisposable
{
    private void* _descriptor;

    private SecurityDescriptorCopy(void* descriptor) => _descriptor = descriptor;

    /// <summary>Reads the descriptor of the file at <paramref name="path"/>: with its owner and group, or its DACL only.</summary>
    /// <exception cref="IOException">The file could not be opened or its descriptor read.</exception>
    /// <exception cref="UnauthorizedAccessException">This process may not read the file's descriptor.</exception>
    internal static SecurityDescriptorCopy Read(string path, bool withOwner)
    {
        // READ_CONTROL only, sharing everything: reading the descriptor never gets in the way of another handle.
        using var handle = Kernel32.CreateFile(
            Win32Path.Extended(path),
            Kernel32.READ_CONTROL,
            Kernel32.FILE_SHARE_READ | Kernel32.FILE_SHARE_WRITE | Kernel32.FILE_SHARE_DELETE,
            null,
            Kernel32.OPEN_EXISTING,
            Kernel32.FILE_FLAG_OPEN_REPARSE_POINT,
            0);
        if (handle.IsInvalid)
        {
            throw WindowsErrors.ToException(Marshal.GetLastPInvokeError(), "Reading the security descriptor of", path);
        }

        return Read(handle, path, withOwner);
    }

    /// <summary>Reads the descriptor of the open <paramref name="handle"/> (opened with READ_CONTROL).</summary>
    internal static SecurityDescriptorCopy Read(SafeFileHandle handle, string path, bool withOwner)
    {
        var parts = Advapi32.DACL_SECURITY_INFORMATION | (withOwner ? Advapi32.OWNER_SECURITY_INFORMATION | Advapi32.GROUP_SECURITY_INFORMATION : 0);
        void* descriptor;
        var error = Advapi32.GetSecurityInfo(handle, Advapi32.SE_FILE_OBJECT, parts, null, null, null, null, &descriptor);
        return error == 0 ? new SecurityDescriptorCopy(descriptor) : throw WindowsErrors.ToException(error, "Reading the security descriptor of", path);
    }

    /// <summary>The self-relative descriptor, for SECURITY_ATTRIBUTES; valid until disposed.</summary>
    internal void* Descriptor => _descriptor != null ? _descriptor : throw new ObjectDisposedException(nameof(SecurityDescriptorCopy));

    public void Dispose()
    {
        if (_descriptor != null)
        {
            Kernel32.LocalFree(_descriptor);
            _descriptor = null;
        }
    }
}
