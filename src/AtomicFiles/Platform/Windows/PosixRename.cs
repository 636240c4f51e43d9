using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Windows.Interop;

namespace AtomicFiles.Platform.Windows;

/// <summary>
/// The rename that readers do not block: SetFileInformationByHandle(FileRenameInfoEx) with
/// FILE_RENAME_FLAG_POSIX_SEMANTICS replaces a name even while the replaced file is open with FILE_SHARE_DELETE
/// (as <see cref="AtomicFile.OpenRead(string)"/> opens it); those handles keep reading the old file, as on Unix. MoveFileEx, and
/// a rename without that flag, fail with ERROR_ACCESS_DENIED while any handle is open on the target.
/// </summary>
internal static class PosixRename
{
    /// <summary>
    /// Renames <paramref name="sourcePath"/> to <paramref name="targetPath"/> (same directory), replacing it only if
    /// <paramref name="replace"/>; with <paramref name="flush"/>, then flushes the renamed file through the handle that
    /// renamed it, which commits the volume's metadata log with the rename in it (the rename has no write-through flag).
    /// </summary>
    /// <returns>0 on success, else the Win32 error; <see cref="IsRefusedByVolume"/> tells the errors of a volume or OS without it.</returns>
    /// <exception cref="DurabilityNotConfirmedException">The rename was done, but the flush after it failed.</exception>
    internal static unsafe int TryRename(string sourcePath, string targetPath, bool replace, bool flush)
    {
        // Shared for reading only: no sweep can delete the temp while it is renamed (no FILE_SHARE_DELETE), and no other
        // writer may write it. Write access is what FlushFileBuffers needs; DELETE is what a rename needs.
        using var handle = Kernel32.CreateFile(
            Win32Path.Extended(sourcePath),
            Kernel32.DELETE | Kernel32.GENERIC_WRITE | Kernel32.SYNCHRONIZE,
            Kernel32.FILE_SHARE_READ,
            null,
            Kernel32.OPEN_EXISTING,
            Kernel32.FILE_FLAG_OPEN_REPARSE_POINT,
            0);
        if (handle.IsInvalid)
        {
            return Marshal.GetLastPInvokeError();
        }

        // FILE_RENAME_INFO: a flags word (padded to the handle's alignment), RootDirectory (null: the name is a full
        // path), FileNameLength in bytes, then the name, here null-terminated though the length leaves the null out.
        var targetName = Win32Path.Extended(targetPath);
        var nameOffset = (sizeof(uint) + sizeof(nint) - 1) / sizeof(nint) * sizeof(nint) + sizeof(nint) + sizeof(uint);
        var nameBytes = targetName.Length * sizeof(char);
        var size = nameOffset + nameBytes + sizeof(char);
        var buffer = (byte*)NativeMemory.AllocZeroed((nuint)size);
        try
        {
            *(uint*)buffer = Kernel32.FILE_RENAME_FLAG_POSIX_SEMANTICS | (replace ? Kernel32.FILE_RENAME_FLAG_REPLACE_IF_EXISTS : 0);
            *(uint*)(buffer + nameOffset - sizeof(uint)) = (uint)nameBytes;
            targetName.AsSpan().CopyTo(new Span<char>(buffer + nameOffset, targetName.Length));
            if (!Kernel32.SetFileInformationByHandle(handle, Kernel32.FileRenameInfoEx, buffer, (uint)size))
            {
                return Marshal.GetLastPInvokeError();
            }
        }
        finally
        {
            NativeMemory.Free(buffer);
        }

        if (flush && !Kernel32.FlushFileBuffers(handle))
        {
            throw new DurabilityNotConfirmedException(targetPath, WindowsErrors.ToException(Marshal.GetLastPInvokeError(), "Flushing the renamed file", targetPath));
        }

        return 0;
    }

    /// <summary>
    /// The errors of a volume or Windows that has no POSIX-semantics rename: an unknown information class or flag
    /// (Windows before 10 1607, Wine 8), or a file system without it (FAT, exFAT, ReFS, SMB shares).
    /// </summary>
    internal static bool IsRefusedByVolume(int error) =>
        error is Errors.ERROR_INVALID_PARAMETER or Errors.ERROR_NOT_SUPPORTED or Errors.ERROR_INVALID_FUNCTION;
}
