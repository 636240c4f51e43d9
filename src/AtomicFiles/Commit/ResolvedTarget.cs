using AtomicFiles.Platform;

namespace AtomicFiles.Commit;

/// <summary>
/// The file a write will publish, found and checked before anything touches the disk: its directory, held open so
/// that every later step acts in the directory checked here, and its name there.
/// </summary>
internal sealed class ResolvedTarget : IDisposable
{
    // Linux gives up after 40 links in one lookup (ELOOP); so do we.
    private const int MaxLinks = 40;

    private ResolvedTarget(DirectoryHandle directory, string fileName, ExistingFile? existing)
    {
        Directory = directory;
        FileName = fileName;
        Existing = existing;
    }

    /// <summary>Absolute path of the file to publish: for a followed link, its final target with the links of its directory resolved.</summary>
    internal string FullPath => Directory.Join(FileName);

    /// <summary>The directory that holds the file, where the temp goes.</summary>
    internal DirectoryHandle Directory { get; }

    /// <summary>Its name in <see cref="Directory"/>.</summary>
    internal string FileName { get; }

    /// <summary>What is there now; <see langword="null"/> if nothing.</summary>
    internal ExistingFile? Existing { get; }

    /// <summary>Resolves <paramref name="path"/> under <paramref name="options"/>' symlink policy and refuses, with the specific exception, any path that cannot be written.</summary>
    internal static ResolvedTarget Resolve(string path, AtomicFileOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Path.EndsInDirectorySeparator(path))
        {
            throw new ArgumentException($"'{path}' ends with a directory separator; it must name a file.", nameof(path));
        }

        var fullPath = Absolute(path);
        var directoryPath = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"'{path}' is a root directory; it must name a file.", nameof(path));
        var fileName = Path.GetFileName(fullPath);
        if (fileName is "." or "..")
        {
            throw new UnauthorizedAccessException($"'{path}' names a directory; only a file can be written atomically.");
        }

        FileSystemPlatform.Current.ValidateFileName(fileName, fullPath);
        var target = Follow(OpenDirectory(directoryPath, fileName), fileName, options);
        try
        {
            CheckWritable(target);
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <paramref name="path"/> made absolute without touching its <c>..</c> segments: on Unix only the kernel knows
    /// where <c>link/..</c> leads (the link's target's parent, not the link's), so the text is left for it to resolve.
    /// Windows resolves <c>..</c> by the text itself, as <see cref="Path.GetFullPath(string)"/> does.
    /// </summary>
    internal static string Absolute(string path, string? basePath = null)
    {
        if (OperatingSystem.IsWindows())
        {
            return basePath is null ? Path.GetFullPath(path) : Path.GetFullPath(path, basePath);
        }

        return Path.IsPathRooted(path) ? path : Path.Join(basePath ?? Environment.CurrentDirectory, path);
    }

    public void Dispose() => Directory.Dispose();

    private static DirectoryHandle OpenDirectory(string directoryPath, string fileName)
    {
        try
        {
            return FileSystemPlatform.Current.OpenDirectory(directoryPath);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new DirectoryNotFoundException($"Could not find the directory '{directoryPath}' to write '{fileName}' in.", e) { HResult = e.HResult };
        }
    }

    /// <summary>
    /// Follows a final symbolic link the way the kernel would: its text is resolved from the directory holding the link,
    /// links and <c>..</c> along it physically, by the OS. Takes ownership of <paramref name="directory"/>.
    /// </summary>
    private static ResolvedTarget Follow(DirectoryHandle directory, string fileName, AtomicFileOptions options)
    {
        var platform = FileSystemPlatform.Current;
        try
        {
            var existing = platform.Inspect(directory, fileName);
            for (var links = 0; existing is { Kind: FileKind.SymbolicLink } link && options.Symlinks == SymlinkHandling.FollowToTarget; links++)
            {
                if (links == MaxLinks)
                {
                    throw new IOException($"Too many levels of symbolic links at '{directory.Join(fileName)}'.");
                }

                platform.ThrowIfLinkNotFollowable(directory, fileName, link);
                var (targetDirectory, targetName) = SplitLinkTarget(platform.ReadLink(directory, fileName), directory.Join(fileName));
                if (targetDirectory.Length > 0)
                {
                    var next = Path.IsPathRooted(targetDirectory) ? platform.OpenDirectory(targetDirectory) : platform.OpenDirectory(directory, targetDirectory);
                    directory.Dispose();
                    directory = next;
                }

                fileName = targetName;
                platform.ValidateFileName(fileName, directory.Join(fileName));
                existing = platform.Inspect(directory, fileName);
            }

            return new ResolvedTarget(directory, fileName, existing);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>The directory part of a link's text (empty: the link's own directory) and the file name it ends in.</summary>
    private static (string Directory, string FileName) SplitLinkTarget(string target, string linkPath)
    {
        var trimmed = target.AsSpan();
        var nameStart = trimmed.LastIndexOfAny(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + 1;
        var name = trimmed[nameStart..].ToString();
        if (name.Length == 0 || name is "." or "..")
        {
            throw new UnauthorizedAccessException($"'{linkPath}' is a symbolic link to the directory '{target}'; only a file can be written atomically.");
        }

        var directory = nameStart == 0 ? string.Empty
            : nameStart == 1 ? target[..1]
            : target[..(nameStart - 1)];
        return (directory, name);
    }

    private static void CheckWritable(ResolvedTarget target)
    {
        switch (target.Existing?.Kind)
        {
            case FileKind.Directory:
                throw new UnauthorizedAccessException($"'{target.FullPath}' is a directory; only a file can be written atomically.");
            case FileKind.Other:
                throw new IOException($"'{target.FullPath}' is not a regular file (a device, pipe or socket); it cannot be replaced atomically.");
            case FileKind.RegularFile:
                FileSystemPlatform.Current.ThrowIfReadOnly(target.Directory, target.FileName, target.Existing.Value);
                break;
        }
    }
}
