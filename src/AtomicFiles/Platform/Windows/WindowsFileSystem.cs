using System.Runtime.InteropServices;
using AtomicFiles.FaultInjection;
using AtomicFiles.Logging;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Windows.Interop;

namespace AtomicFiles.Platform.Windows;

/// <summary>
/// Windows: temps created with the replaced file's security descriptor and attributes, FlushFileBuffers, a
/// POSIX-semantics rename that readers sharing delete access do not block (the classic rename where the volume refuses
/// it), both through the writer's own handle and flushed through it, and bounded retries while antivirus or indexers
/// briefly hold the target.
/// </summary>
internal sealed class WindowsFileSystem : FileSystemPlatform
{
    private const int FirstRetryDelayMilliseconds = 10;
    private const int MaxRetryDelayMilliseconds = 250;

    // What a replaced file's attributes pass on to its successor. Read-only is refused before any write; the others
    // (compressed, encrypted, sparse, reparse point) are states of the old file's data, not settings of the name.
    private const FileAttributes KeptAttributes =
        FileAttributes.Hidden | FileAttributes.System | FileAttributes.Archive | FileAttributes.NotContentIndexed;

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

    internal override SafeFileHandle? TryCreateTemp(
        DirectoryHandle directory, string tempName, string targetName, ExistingFile? replaced, AtomicFileOptions options)
    {
        var tempPath = directory.Join(tempName);
        var targetPath = directory.Join(targetName);
        var preserve = options.PreserveMetadata && replaced is { Kind: FileKind.RegularFile };
        var attributes = preserve ? KeptAttributesOf(targetPath) : 0;

        // With the replaced file's descriptor from its creation: a temp that inherited the directory's access list and
        // was narrowed afterwards would be readable, in between, by whoever the directory lets read.
        using var descriptor = preserve ? ReadDescriptor(targetPath, withOwner: true) : null;
        var handle = CreateTemp(tempPath, descriptor, attributes);
        var error = handle.IsInvalid ? Marshal.GetLastPInvokeError() : 0;
        if (error == Errors.ERROR_INVALID_OWNER && descriptor is not null)
        {
            // Only a privileged process can make a file another user's. Like chown on Unix, where allowed: the access
            // list, which decides who reads the file, is kept all the same.
            handle.Dispose();
            Log.WindowsOwnerNotPreserved(options.ResolvedLogger, targetPath, error);

            using var daclOnly = ReadDescriptor(targetPath, withOwner: false);
            handle = CreateTemp(tempPath, daclOnly, attributes);
            error = handle.IsInvalid ? Marshal.GetLastPInvokeError() : 0;
        }

        if (error == 0)
        {
            return handle;
        }

        handle.Dispose();
        return error is Errors.ERROR_FILE_EXISTS or Errors.ERROR_ALREADY_EXISTS
            ? null
            : throw WindowsErrors.ToException(error, "Creating the temp file", tempPath);
    }

    private static unsafe SafeFileHandle CreateTemp(string tempPath, SecurityDescriptorCopy? descriptor, FileAttributes attributes)
    {
        var security = new Kernel32.SECURITY_ATTRIBUTES
        {
            nLength = sizeof(Kernel32.SECURITY_ATTRIBUTES),
            lpSecurityDescriptor = descriptor is null ? null : descriptor.Descriptor,
        };

        // Shared for reading only: a recovery sweep can neither delete nor open exclusively a temp whose writer holds it,
        // and that refusal is how it tells a live writer's temp from an orphan. DELETE: the rename goes through this
        // handle (HandleRename), so the temp is held until it is published; and once published, readers sharing write
        // and delete (AtomicFile.OpenRead) may open it while this handle flushes it.
        return Kernel32.CreateFile(
            Win32Path.Extended(tempPath),
            Kernel32.GENERIC_WRITE | Kernel32.DELETE,
            Kernel32.FILE_SHARE_READ,
            descriptor is null ? null : &security,
            Kernel32.CREATE_NEW,
            attributes == 0 ? (uint)FileAttributes.Normal : (uint)attributes,
            0);
    }

    private static FileAttributes KeptAttributesOf(string targetPath)
    {
        try
        {
            return File.GetAttributes(targetPath) & KeptAttributes;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    // The replaced file removed meanwhile: there is nothing to keep, as for a new file.
    private static SecurityDescriptorCopy? ReadDescriptor(string targetPath, bool withOwner)
    {
        try
        {
            return SecurityDescriptorCopy.Read(targetPath, withOwner);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    internal override void FlushFile(SafeFileHandle handle, string path)
    {
        if (!Kernel32.FlushFileBuffers(handle))
        {
            throw WindowsErrors.ToException(Marshal.GetLastPInvokeError(), "Flushing to disk", path);
        }
    }

    internal override void Replace(DirectoryHandle directory, string tempName, string targetName, AtomicFileOptions options, SafeFileHandle? temp = null) =>
        RenameWithRetries(temp, directory.Join(tempName), directory.Join(targetName), replace: true, options);

    internal override bool TryPublishNew(DirectoryHandle directory, string tempName, string targetName, AtomicFileOptions options, SafeFileHandle? temp = null)
    {
        try
        {
            RenameWithRetries(temp, directory.Join(tempName), directory.Join(targetName), replace: false, options);
            return true;
        }
        catch (IOException e) when (WindowsErrors.IsAlreadyExists(e))
        {
            return false;
        }
    }

    // NTFS journals its metadata: the rename itself was made durable by the flush of the renamed file through the
    // handle that renamed it.
    internal override void FlushDirectory(DirectoryHandle directory)
    {
    }

    internal override void DeleteFile(DirectoryHandle directory, string name) => File.Delete(directory.Join(name));

    // Sharing write and delete, as AtomicFile.OpenRead does: reading a staged temp never blocks its replace.
    internal override SafeFileHandle OpenToRead(DirectoryHandle directory, string name) =>
        File.OpenHandle(directory.Join(name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    internal override void DeleteFile(string path) => File.Delete(path);

    internal override TempFileState CheckTemp(string tempPath, bool remove)
    {
        // A live writer holds its temp open, sharing only reading, until the rename through that handle has published it:
        // deleting it, or opening it exclusively, fails with a sharing violation, and that failure is exactly "alive".
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
        catch (IOException e) when (WindowsErrors.IsSharingConflict(e))
        {
            return TempFileState.InUse;
        }
    }

    private static void RenameWithRetries(SafeFileHandle? temp, string tempPath, string targetPath, bool replace, AtomicFileOptions options)
    {
        var handle = temp;
        try
        {
            var started = options.TimeProvider.GetTimestamp();
            var delay = FirstRetryDelayMilliseconds;
            for (var attempt = 1; ; attempt++)
            {
                var error = Attempt(ref handle, tempPath, targetPath, replace, options);
                if (error == 0)
                {
                    break;
                }

                var transient = error == Errors.ERROR_ACCESS_DENIED || WindowsErrors.IsSharingConflict(error);
                if (!transient || options.TimeProvider.GetElapsedTime(started) + TimeSpan.FromMilliseconds(delay) > options.WindowsRetryTimeout)
                {
                    throw WindowsErrors.ToException(error, replace ? "Replacing" : "Creating", targetPath);
                }

                Log.ReplaceRetry(options.ResolvedLogger, targetPath, error, attempt, delay);

                // A timer of the options' clock, so tests decide when the retry comes.
                Task.Delay(TimeSpan.FromMilliseconds(delay), options.TimeProvider).GetAwaiter().GetResult();
                delay = Math.Min(delay * 2, MaxRetryDelayMilliseconds);
            }

            // The rename has no write-through flag: flushing the renamed file through the handle that renamed it commits
            // the volume's metadata log with the rename in it.
            if (options.FlushesDirectories && !Kernel32.FlushFileBuffers(handle!))
            {
                throw new DurabilityNotConfirmedException(targetPath, WindowsErrors.ToException(Marshal.GetLastPInvokeError(), "Flushing the renamed file", targetPath));
            }
        }
        finally
        {
            if (temp is null)
            {
                handle?.Dispose();
            }
        }
    }

    /// <summary>
    /// One attempt through the writer's handle, or through one opened here for a temp its writer no longer holds
    /// (recovery completing a transaction): the POSIX-semantics rename, else the classic one where the volume refuses
    /// it. 0 or the Win32 error.
    /// </summary>
    private static int Attempt(ref SafeFileHandle? handle, string tempPath, string targetPath, bool replace, AtomicFileOptions options)
    {
        if (handle is null)
        {
            var opened = HandleRename.Open(tempPath);
            if (opened.IsInvalid)
            {
                var openError = Marshal.GetLastPInvokeError();
                opened.Dispose();
                return openError;
            }

            handle = opened;
        }

        if (!options.Injects(InjectedDefect.WindowsClassicRenameOnly))
        {
            var error = HandleRename.TryRename(handle, targetPath, replace, posixSemantics: true);
            if (!HandleRename.IsRefusedByVolume(error))
            {
                return error;
            }

            // Not remembered: another volume, or this one remounted, may take it; one refused call costs far less than the flush.
            Log.RenameFellBack(options.ResolvedLogger, targetPath, error);
        }

        return HandleRename.TryRename(handle, targetPath, replace, posixSemantics: false);
    }
}
