using AtomicFiles.Commit;

namespace AtomicFiles;

/// <summary>
/// Crash-safe file writes. After any crash — an exception, kill -9, a power cut — a file written through this class
/// holds its complete old content or its complete new content, and a write whose commit returned survives a power cut
/// (with the default <see cref="Durability.Full"/>).
/// </summary>
/// <example>
/// <code>
/// using var writer = AtomicFile.Create("settings.json");
/// JsonSerializer.Serialize(writer, settings);
/// writer.Commit(); // without this line, nothing changes on disk
/// </code>
/// </example>
public static partial class AtomicFile
{
    /// <summary>
    /// Opens a writer whose content replaces <paramref name="path"/> — or creates it — when
    /// <see cref="AtomicFileWriter.Commit"/> returns. Disposing it without committing leaves the file untouched.
    /// </summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <returns>The writer. Dispose it, committed or not.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, white space, or ends with a separator.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, the file is read-only, or the directory is not writable.</exception>
    /// <exception cref="PathTooLongException">The file name is longer than the filesystem allows.</exception>
    /// <exception cref="IOException">The temp file could not be created, or <paramref name="path"/> is a symbolic-link loop.</exception>
    public static AtomicFileWriter Create(string path, AtomicFileOptions? options = null) => Open(path, overwrite: true, options);

    /// <summary>
    /// Opens a writer that publishes its content at <paramref name="path"/> only if no file exists there, race-free
    /// against other processes: of several writers committing the same new path, exactly one succeeds.
    /// </summary>
    /// <param name="path">The file to create; nothing may exist there when the writer commits. Its directory must exist.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <returns>The writer. Its <see cref="AtomicFileWriter.Commit"/> throws <see cref="IOException"/> if a file appeared at the path meanwhile.</returns>
    /// <exception cref="IOException">A file already exists at <paramref name="path"/>.</exception>
    /// <inheritdoc cref="Create" path="/exception"/>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Named after FileMode.CreateNew, which .NET users know.")]
    public static AtomicFileWriter CreateNew(string path, AtomicFileOptions? options = null) => Open(path, overwrite: false, options);

    private static AtomicFileWriter Open(string path, bool overwrite, AtomicFileOptions? options)
    {
        options ??= AtomicFileOptions.Default;
        var target = ResolvedTarget.Resolve(path, options);
        if (!overwrite && target.Existing is not null)
        {
            // Fail before the caller spends work on content that could never be published.
            target.Dispose();
            throw StagedFile.AlreadyExists(target.FullPath);
        }

        return Open(target, overwrite, options);
    }

    /// <summary>A writer for a target already resolved (and checked): it takes ownership of <paramref name="target"/>.</summary>
    private static AtomicFileWriter Open(ResolvedTarget target, bool overwrite, AtomicFileOptions options) =>
        new(StagedFile.Create(target, options), overwrite, options);
}
