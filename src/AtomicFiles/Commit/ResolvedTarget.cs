using AtomicFiles.Platform;

namespace AtomicFiles.Commit;

/// <summary>The file a write will publish, found and checked before anything touches the disk.</summary>
/// <param name="FullPath">Absolute path of the file to publish: a followed link's final target.</param>
/// <param name="Directory">The directory that holds it, where the temp file goes.</param>
/// <param name="FileName">Its name.</param>
/// <param name="Existing">What is there now; <see langword="null"/> if nothing.</param>
internal sealed record ResolvedTarget(string FullPath, string Directory, string FileName, ExistingFile? Existing)
{
    /// <summary>Resolves <paramref name="path"/> under <paramref name="options"/>' symlink policy and refuses, with the specific exception, any path that cannot be written.</summary>
    internal static ResolvedTarget Resolve(string path, AtomicFileOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Path.EndsInDirectorySeparator(path))
        {
            throw new ArgumentException($"'{path}' ends with a directory separator; it must name a file.", nameof(path));
        }

        var platform = FileSystemPlatform.Current;
        var fullPath = Path.GetFullPath(path);
        var existing = platform.Inspect(fullPath);
        if (existing is { Kind: FileKind.SymbolicLink } && options.Symlinks == SymlinkHandling.FollowToTarget)
        {
            // Throws IOException on a loop (ELOOP) or a chain too long to follow.
            fullPath = File.ResolveLinkTarget(fullPath, returnFinalTarget: true)!.FullName;
            existing = platform.Inspect(fullPath);
        }

        var fileName = Path.GetFileName(fullPath);
        var directory = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"'{path}' is a root directory; it must name a file.", nameof(path));
        platform.ValidateFileName(fileName, fullPath);

        switch (existing?.Kind)
        {
            case FileKind.Directory:
                throw new UnauthorizedAccessException($"'{fullPath}' is a directory; only a file can be written atomically.");
            case FileKind.Other:
                throw new IOException($"'{fullPath}' is not a regular file (a device, pipe or socket); it cannot be replaced atomically.");
            case FileKind.RegularFile:
                platform.ThrowIfReadOnly(fullPath);
                break;
            case null when !System.IO.Directory.Exists(directory):
                throw new DirectoryNotFoundException($"Could not find the directory '{directory}' to write '{fileName}' in.");
        }

        return new ResolvedTarget(fullPath, directory, fileName, existing);
    }
}
