using System.Runtime.InteropServices;
using AtomicFiles.Logging;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Interop;

namespace AtomicFiles.Platform.Windows;

/// <summary>
/// Windows: MoveFileExW with WRITE_THROUGH (never COPY_ALLOWED), FlushFileBuffers, and bounded retries while
/// antivirus or indexers briefly hold the target.
/// </summary>
internal sealed class WindowsFileSystem : FileSystemPlatform
{
    private const int FirstRetryDelayMilliseconds = 10;
    private const int MaxRetryDelayMilliseconds = 250;

    internal override void ReleaseBeforeRename(SafeFileHandle handle, string tempPath) => handle.Dispose();

    internal override DirectoryHandle OpenDirectory(string path) =>
        Directory.Exists(path) ? new DirectoryHandle(path, handle: null) : throw new DirectoryNotFoundException($"Could not find the directory '{path}'.");

    // Windows resolves ".." in a path by its text, before any link: the joined text is what the OS opens.
    internal override DirectoryHandle OpenDirectory(DirectoryHandle directory, string relativePath) =>
        OpenDirectory(Path.TrimEndingDirectorySeparator(Path.GetFullPath(relativePath, directory.Path)));

    internal override DirectoryHandle? OpenSubdirectoryNoFollow(DirectoryHandle directory, string name)
    {
        var path = directory.Join(name);
        return InspectPath(path) is { Kind: FileKind.Directory } ? new DirectoryHandle(path, handle: null) : null;
    }

    internal override string PhysicalPath(DirectoryHandle directory) => Transactions.RealPath.OfDirectory(directory.Path);

    internal override ExistingFile StatusOf(DirectoryHandle directory) =>
        InspectPath(directory.Path) ?? throw new DirectoryNotFoundException($"Could not find the directory '{directory.Path}'.");

    internal override ExistingFile? Inspect(DirectoryHandle directory, string name) => InspectPath(directory.Join(name));

    internal override SafeFileHandle? OpenForReading(DirectoryHandle directory, string name, bool followLink)
    {
        try
        {
            return File.OpenHandle(directory.Join(name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    internal override string ReadLink(DirectoryHandle directory, string name) =>
        new FileInfo(directory.Join(name)).LinkTarget ?? throw new IOException($"'{directory.Join(name)}' is not a symbolic link.");

    // Creating symbolic links takes a privilege on Windows; no other user plants one in a shared folder.
    internal override void ThrowIfLinkNotFollowable(DirectoryHandle directory, string name, ExistingFile link)
    {
    }

    private static ExistingFile? InspectPath(string path)
    {
        FileAttributes attributes;
        try
        {
            attributes = File.GetAttributes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        var kind = (attributes & FileAttributes.ReparsePoint) != 0 ? FileKind.SymbolicLink
            : (attributes & FileAttributes.Directory) != 0 ? FileKind.Directory
            : FileKind.RegularFile;
        // The volume stands in for st_dev: a rename never crosses volumes (volume mount points in folders are not told apart).
        var volume = Path.GetPathRoot(Path.GetFullPath(path)) ?? string.Empty;
        return new ExistingFile(kind, 0, 0, 0, (ulong)(uint)StringComparer.OrdinalIgnoreCase.GetHashCode(volume));
    }

    internal override void ValidateFileName(string fileName, string path)
    {
        // NTFS and ReFS hold 255 UTF-16 units per name; the temp name is shortened to fit the same limit.
        if (fileName.Length > 255)
        {
            throw new PathTooLongException($"The file name in '{path}' is longer than the 255 characters a Windows file name can hold.");
        }
    }

    internal override void ThrowIfReadOnly(DirectoryHandle directory, string name, ExistingFile existing)
    {
        var path = directory.Join(name);
        if ((File.GetAttributes(path) & FileAttributes.ReadOnly) != 0)
        {
            throw new UnauthorizedAccessException($"'{path}' is read-only, so it is left unchanged.");
        }
    }

    internal override SafeFileHandle? TryCreateTemp(DirectoryHandle directory, string tempName, ExistingFile? replaced, AtomicFileOptions options)
    {
        var tempPath = directory.Join(tempName);
        try
        {
            // FileShare.None: recovery cannot delete the temp while this writer holds it open.
            return File.OpenHandle(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (IOException e) when ((e.HResult & 0xFFFF) is Errors.ERROR_FILE_EXISTS or Errors.ERROR_ALREADY_EXISTS)
        {
            return null;
        }
    }

    internal override void FlushFile(SafeFileHandle handle, string path)
    {
        if (!Kernel32.FlushFileBuffers(handle))
        {
            throw ToException(Marshal.GetLastPInvokeError(), "Flushing to disk", path);
        }
    }

    internal override void Replace(DirectoryHandle directory, string tempName, string targetName, AtomicFileOptions options) =>
        MoveWithRetries(directory.Join(tempName), directory.Join(targetName), Kernel32.MOVEFILE_REPLACE_EXISTING | WriteThrough(options), options);

    internal override bool TryPublishNew(DirectoryHandle directory, string tempName, string targetName, AtomicFileOptions options)
    {
        var (tempPath, targetPath) = (directory.Join(tempName), directory.Join(targetName));
        try
        {
            MoveWithRetries(tempPath, targetPath, WriteThrough(options), options);
            return true;
        }
        catch (IOException e) when ((e.HResult & 0xFFFF) is Errors.ERROR_FILE_EXISTS or Errors.ERROR_ALREADY_EXISTS)
        {
            return false;
        }
    }

    // NTFS journals its metadata and MOVEFILE_WRITE_THROUGH returns only once the move is on disk.
    internal override void FlushDirectory(DirectoryHandle directory)
    {
    }

    internal override void DeleteFile(DirectoryHandle directory, string name) => File.Delete(directory.Join(name));

    internal override SafeFileHandle OpenToRead(DirectoryHandle directory, string name) =>
        File.OpenHandle(directory.Join(name), FileMode.Open, FileAccess.Read, FileShare.Read);

    internal override void DeleteFile(string path) => File.Delete(path);

    internal override TempFileState CheckTemp(string tempPath, bool remove)
    {
        // A live writer holds its temp open with FileShare.None: deleting it, or opening it exclusively, fails with a
        // sharing violation, and that failure is exactly "alive". The one unguarded instant is after the writer closes
        // its temp to rename it (ClosesBeforeRename): a sweep then makes that commit fail, with the target unchanged.
        try
        {
            if (remove)
            {
                File.Delete(tempPath);
            }
            else
            {
                File.OpenHandle(tempPath, FileMode.Open, FileAccess.Read, FileShare.None).Dispose();
            }

            return TempFileState.Orphaned;
        }
        catch (FileNotFoundException)
        {
            return TempFileState.Skipped;
        }
        catch (DirectoryNotFoundException)
        {
            return TempFileState.Skipped;
        }
        catch (IOException e) when ((e.HResult & 0xFFFF) is Errors.ERROR_SHARING_VIOLATION or Errors.ERROR_LOCK_VIOLATION)
        {
            return TempFileState.InUse;
        }
    }

    private static uint WriteThrough(AtomicFileOptions options) =>
        options.Durability == Durability.Full ? Kernel32.MOVEFILE_WRITE_THROUGH : 0;

    private static void MoveWithRetries(string tempPath, string targetPath, uint flags, AtomicFileOptions options)
    {
        var started = options.TimeProvider.GetTimestamp();
        var delay = FirstRetryDelayMilliseconds;
        for (var attempt = 1; ; attempt++)
        {
            if (Kernel32.MoveFileEx(tempPath, targetPath, flags))
            {
                return;
            }

            var error = Marshal.GetLastPInvokeError();
            var transient = error is Errors.ERROR_ACCESS_DENIED or Errors.ERROR_SHARING_VIOLATION or Errors.ERROR_LOCK_VIOLATION;
            if (!transient || options.TimeProvider.GetElapsedTime(started) + TimeSpan.FromMilliseconds(delay) > options.WindowsRetryTimeout)
            {
                throw ToException(error, "Replacing", targetPath);
            }

            if (options.Logger is { } logger)
            {
                Log.ReplaceRetry(logger, targetPath, error, attempt, delay);
            }

            // A timer of the options' clock, so tests decide when the retry comes.
            Task.Delay(TimeSpan.FromMilliseconds(delay), options.TimeProvider).GetAwaiter().GetResult();
            delay = Math.Min(delay * 2, MaxRetryDelayMilliseconds);
        }
    }

    private static Exception ToException(int error, string action, string path)
    {
        var message = $"{action} '{path}' failed: {Marshal.GetPInvokeErrorMessage(error)} (Windows error {error}).";
        Exception exception = error switch
        {
            Errors.ERROR_ACCESS_DENIED => new UnauthorizedAccessException(message),
            Errors.ERROR_FILE_NOT_FOUND => new FileNotFoundException(message, path),
            Errors.ERROR_PATH_NOT_FOUND => new DirectoryNotFoundException(message),
            _ => new IOException(message),
        };
        exception.HResult = unchecked((int)0x80070000) | error;
        return exception;
    }
}
