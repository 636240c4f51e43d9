using AtomicFiles.Commit;
using AtomicFiles.Locking;
using AtomicFiles.Platform;

namespace AtomicFiles;

public static partial class AtomicFile
{
    /// <summary>
    /// Replaces <paramref name="path"/>, or creates it, with what <paramref name="transform"/> makes of its current
    /// content — read, transform and commit under an exclusive cross-process lock, so concurrent updaters, in this
    /// process or any other, never lose each other's changes. If the transform throws, the file is left unchanged.
    /// </summary>
    /// <param name="path">The file to update or create. Its directory must exist.</param>
    /// <param name="transform">
    /// Gets the current content (<see langword="null"/> if the file does not exist) and returns the new content.
    /// It runs while the lock is held: keep it short, and do not update the same file from inside it.
    /// </param>
    /// <param name="options">How to write and how long to wait for the lock (<see cref="AtomicFileOptions.LockTimeout"/>); <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <remarks>
    /// The lock is a sidecar file beside the target, <c>.{name}.lock</c>: on Unix an flock(LOCK_EX) the library takes
    /// itself, which no setting turns off (not DOTNET_SYSTEM_IO_DISABLEFILELOCKING either) and which never proceeds
    /// unlocked — a failure to lock is an <see cref="IOException"/>; on Windows an exclusive open. The OS releases it
    /// when a process dies, so a killed updater never leaves a stale lock. It is never on the target itself, whose
    /// inode each commit replaces. The sidecar stays after the update: deleting it could let two updaters in at once.
    /// On Unix it is created with the target's read and write permission bits (rw-rw-rw- less the umask for a new
    /// target) and opened read-only, so whoever may update the target may lock; a symbolic link, FIFO or other
    /// non-regular file at its path is refused, as is a sidecar another user planted in a sticky world-writable
    /// directory such as /tmp (<see cref="UnauthorizedAccessException"/>). Every process must update through this
    /// method for the lock to count: a plain <see cref="WriteAllBytes"/> does not take it.
    /// </remarks>
    /// <exception cref="TimeoutException">Another updater held the lock longer than <see cref="AtomicFileOptions.LockTimeout"/>; the file is unchanged.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="transform"/> returned <see langword="null"/>; the file is unchanged.</exception>
    /// <inheritdoc cref="WriteAllBytes" path="/exception"/>
    public static void Update(string path, Func<byte[]?, byte[]> transform, AtomicFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transform);
        options ??= AtomicFileOptions.Default;
        // Disposed here too if the lock or the transform throws before the writer takes it over (disposing twice is harmless).
        using var target = ResolvedTarget.Resolve(path, options);
        using var updateLock = LockFileLock.Acquire(target.Directory, LockFileName.For(target.FileName), target.FullPath, LockCreateModeFor(target), options.LockTimeout, options.TimeProvider, CancellationToken.None, options.Defects);
        var next = transform(ReadIfExists(target)) ?? throw TransformReturnedNull(target.FullPath);
        using var writer = Open(target, overwrite: true, options);
        writer.Write(next);
        writer.Commit();
    }

    /// <summary>
    /// Replaces <paramref name="path"/>, or creates it, with what <paramref name="transform"/> makes of its current
    /// text, under an exclusive cross-process lock, as <see cref="Update"/> does. Reads as <see cref="File.ReadAllText(string)"/>
    /// does (UTF-8, or the encoding a byte order mark names); writes UTF-8 without a byte order mark.
    /// </summary>
    /// <param name="path">The file to update or create. Its directory must exist.</param>
    /// <param name="transform">Gets the current text (<see langword="null"/> if the file does not exist) and returns the new text. Runs while the lock is held.</param>
    /// <param name="options">How to write and how long to wait for the lock; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <remarks><inheritdoc cref="Update" path="/remarks"/></remarks>
    /// <inheritdoc cref="Update" path="/exception"/>
    public static void UpdateText(string path, Func<string?, string> transform, AtomicFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transform);
        Update(path, current => EncodeText(transform(DecodeText(current)), path), options);
    }

    /// <summary>
    /// Replaces <paramref name="path"/>, or creates it, with what <paramref name="transform"/> makes of its current
    /// content, under an exclusive cross-process lock, as <see cref="Update"/> does — without blocking a thread while
    /// waiting for the lock or the disk.
    /// </summary>
    /// <param name="path">The file to update or create. Its directory must exist.</param>
    /// <param name="transform">Gets the current content (<see langword="null"/> if the file does not exist) and the cancellation token, and returns the new content. Runs while the lock is held.</param>
    /// <param name="cancellationToken">Cancels the lock wait, the read, the transform's token, and the write until the rename; a cancelled update leaves the file unchanged.</param>
    /// <remarks><inheritdoc cref="Update" path="/remarks"/></remarks>
    /// <inheritdoc cref="Update" path="/exception"/>
    /// <exception cref="OperationCanceledException">Cancelled; the file is unchanged.</exception>
    public static Task UpdateAsync(string path, Func<byte[]?, CancellationToken, ValueTask<byte[]>> transform, CancellationToken cancellationToken = default) =>
        UpdateAsync(path, transform, options: null, cancellationToken);

    /// <inheritdoc cref="UpdateAsync(string, Func{byte[], CancellationToken, ValueTask{byte[]}}, CancellationToken)"/>
    /// <param name="path">The file to update or create. Its directory must exist.</param>
    /// <param name="transform">Gets the current content (<see langword="null"/> if the file does not exist) and the cancellation token, and returns the new content. Runs while the lock is held.</param>
    /// <param name="options">How to write and how long to wait for the lock; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the lock wait, the read, the transform's token, and the write until the rename; a cancelled update leaves the file unchanged.</param>
    public static async Task UpdateAsync(string path, Func<byte[]?, CancellationToken, ValueTask<byte[]>> transform, AtomicFileOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);
        options ??= AtomicFileOptions.Default;
        // Disposed here too if the lock or the transform throws before the writer takes it over (disposing twice is harmless).
        using var target = ResolvedTarget.Resolve(path, options);
        using var updateLock = await LockFileLock.AcquireAsync(target.Directory, LockFileName.For(target.FileName), target.FullPath, LockCreateModeFor(target), options.LockTimeout, options.TimeProvider, cancellationToken, options.Defects).ConfigureAwait(false);
        var current = await ReadIfExistsAsync(target, cancellationToken).ConfigureAwait(false);
        var next = await transform(current, cancellationToken).ConfigureAwait(false) ?? throw TransformReturnedNull(target.FullPath);
        var writer = Open(target, overwrite: true, options);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(next, cancellationToken).ConfigureAwait(false);
            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Replaces <paramref name="path"/>, or creates it, with what <paramref name="transform"/> makes of its current
    /// text, under an exclusive cross-process lock, as <see cref="UpdateText"/> does, without blocking a thread.
    /// </summary>
    /// <param name="path">The file to update or create. Its directory must exist.</param>
    /// <param name="transform">Gets the current text (<see langword="null"/> if the file does not exist) and the cancellation token, and returns the new text. Runs while the lock is held.</param>
    /// <param name="cancellationToken">Cancels the lock wait, the read, the transform's token, and the write until the rename; a cancelled update leaves the file unchanged.</param>
    /// <remarks><inheritdoc cref="Update" path="/remarks"/></remarks>
    /// <inheritdoc cref="UpdateAsync(string, Func{byte[], CancellationToken, ValueTask{byte[]}}, CancellationToken)" path="/exception"/>
    public static Task UpdateTextAsync(string path, Func<string?, CancellationToken, ValueTask<string>> transform, CancellationToken cancellationToken = default) =>
        UpdateTextAsync(path, transform, options: null, cancellationToken);

    /// <inheritdoc cref="UpdateTextAsync(string, Func{string, CancellationToken, ValueTask{string}}, CancellationToken)"/>
    /// <param name="path">The file to update or create. Its directory must exist.</param>
    /// <param name="transform">Gets the current text (<see langword="null"/> if the file does not exist) and the cancellation token, and returns the new text. Runs while the lock is held.</param>
    /// <param name="options">How to write and how long to wait for the lock; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the lock wait, the read, the transform's token, and the write until the rename; a cancelled update leaves the file unchanged.</param>
    public static Task UpdateTextAsync(string path, Func<string?, CancellationToken, ValueTask<string>> transform, AtomicFileOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return UpdateAsync(path, async (current, ct) => EncodeText(await transform(DecodeText(current), ct).ConfigureAwait(false), path), options, cancellationToken);
    }


    // Whoever may read the data file may open its lock file: the data file's read and write bits, else rw-rw-rw- less the umask.
    private static UnixFileMode LockCreateModeFor(ResolvedTarget target) => target.Existing is { Kind: FileKind.RegularFile } existing
        ? (UnixFileMode)existing.Mode & LockFileLock.DefaultCreateMode
        : LockFileLock.DefaultCreateMode;

    /// <summary>The current content of the file the update will replace, read in the directory it was resolved in.</summary>
    private static byte[]? ReadIfExists(ResolvedTarget target)
    {
        using var file = OpenCurrent(target);
        if (file is null)
        {
            return null;
        }

        using var content = new MemoryStream();
        var buffer = new byte[64 * 1024];
        for (int read; (read = RandomAccess.Read(file, buffer, content.Length)) > 0;)
        {
            content.Write(buffer, 0, read);
        }

        return content.ToArray();
    }

    /// <inheritdoc cref="ReadIfExists"/>
    private static async ValueTask<byte[]?> ReadIfExistsAsync(ResolvedTarget target, CancellationToken cancellationToken)
    {
        using var file = OpenCurrent(target);
        if (file is null)
        {
            return null;
        }

        using var content = new MemoryStream();
        var buffer = new byte[64 * 1024];
        for (int read; (read = await RandomAccess.ReadAsync(file, buffer, content.Length, cancellationToken).ConfigureAwait(false)) > 0;)
        {
            content.Write(buffer, 0, read);
        }

        return content.ToArray();
    }

    // A link there is read through only when the symlink policy left it to be replaced; otherwise a link put there
    // since the target was resolved is refused, not followed.
    private static Microsoft.Win32.SafeHandles.SafeFileHandle? OpenCurrent(ResolvedTarget target) =>
        Platform.FileSystemPlatform.Current.OpenForReading(target.Directory, target.FileName, followLink: target.Existing is { Kind: FileKind.SymbolicLink });

    private static string? DecodeText(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        // As File.ReadAllText: UTF-8 unless a byte order mark says otherwise.
        using var reader = new StreamReader(new MemoryStream(bytes), s_utf8NoBom, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static byte[] EncodeText(string? text, string path) =>
        s_utf8NoBom.GetBytes(text ?? throw TransformReturnedNull(path));

    private static InvalidOperationException TransformReturnedNull(string path) =>
        new($"The transform for '{path}' returned null; it must return the new content (empty for an empty file). The file is unchanged.");
}
