using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Windows.Interop;

namespace AtomicFiles.Platform.Windows;

/// <summary>
/// Renames a file through a handle open on it: the writer's own temp handle, so no instant leaves the temp unheld for a
/// recovery sweep to take for an orphan. First by POSIX semantics (FileRenameInfoEx), which replaces a name even while
/// the replaced file is open with FILE_SHARE_DELETE (as <see cref="AtomicFile.OpenRead(string)"/> opens it): those
/// handles keep reading the old file, as on Unix. Where the volume refuses it, by the classic rename (FileRenameInfo,
/// the call MoveFileEx makes), which fails with ERROR_ACCESS_DENIED while any handle is open on the target.
/// </summary>
internal static class HandleRename
{
    /// <summary>
    /// Opens <paramref name="path"/> to rename it, for a temp its writer no longer holds (recovery completing a
    /// transaction). Shared for reading only: no sweep can delete it meanwhile (no FILE_SHARE_DELETE), and no other
    /// writer may write it. Write access is what FlushFileBuffers needs; DELETE is what a rename needs.
    /// </summary>
    internal static unsafe SafeFileHandle Open(string path) =>
        Kernel32.CreateFile(
            Win32Path.Extended(path),
            Kernel32.DELETE | Kernel32.GENERIC_WRITE | Kernel32.SYNCHRONIZE,
            Kernel32.FILE_SHARE_READ,
            null,
            Kernel32.OPEN_EXISTING,
            Kernel32.FILE_FLAG_OPEN_REPARSE_POINT,
            0);

    /// <summary>
    /// Renames the file <paramref name="handle"/> is open on (opened with DELETE access) to <paramref name="targetPath"/>,
    /// in its directory, replacing it only if <paramref name="replace"/>: by POSIX semantics if
    /// <paramref name="posixSemantics"/>, else by the classic rename.
    /// </summary>
    /// <returns>0 on success, else the Win32 error; <see cref="IsRefusedByVolume"/> tells the errors of a volume or OS without POSIX semantics.</returns>
    internal static unsafe int TryRename(SafeFileHandle handle, string targetPath, bool replace, bool posixSemantics)
    {
        // FILE_RENAME_INFO: a flags word (FileRenameInfoEx) or a ReplaceIfExists byte (FileRenameInfo) padded to the
        // handle's alignment, RootDirectory (null: the name is a full path), FileNameLength in bytes, then the name, here
        // null-terminated though the length leaves the null out.
        var targetName = Win32Path.Extended(targetPath);
        var nameOffset = (sizeof(uint) + sizeof(nint) - 1) / sizeof(nint) * sizeof(nint) + sizeof(nint) + sizeof(uint);
        var nameBytes = targetName.Length * sizeof(char);
        var size = nameOffset + nameBytes + sizeof(char);
        var buffer = (byte*)NativeMemory.AllocZeroed((nuint)size);
        try
        {
            if (posixSemantics)
            {
                *(uint*)buffer = Kernel32.FILE_RENAME_FLAG_POSIX_SEMANTICS | (replace ? Kernel32.FILE_RENAME_FLAG_REPLACE_IF_EXISTS : 0);
            }
            else
            {
                *buffer = replace ? (byte)1 : (byte)0;
            }

            *(uint*)(buffer + nameOffset - sizeof(uint)) = (uint)nameBytes;
            targetName.AsSpan().CopyTo(new Span<char>(buffer + nameOffset, targetName.Length));
            var infoClass = posixSemantics ? Kernel32.FileRenameInfoEx : Kernel32.FileRenameInfo;
            return Kernel32.SetFileInformationByHandle(handle, infoClass, buffer, (uint)size) ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    /// <summary>
    /// The errors of a volume or Windows that has no POSIX-semantics rename: an unknown information class or flag
    /// (Windows before 10 1607, Wine 8), or a file system without it (FAT, exFAT, ReFS, SMB shares).
    /// </summary>
    internal static bool IsRefusedByVolume(int error) =>
        error is Errors.ERROR_INVALID_PARAMETER or Errors.ERROR_NOT_SUPPORTED or Errors.ERROR_INVALID_FUNCTION;
}
