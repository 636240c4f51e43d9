using System.Text;

namespace AtomicFiles;

public static partial class AtomicFile
{
    // File.WriteAllText's default: UTF-8 without a byte order mark.
    internal static readonly UTF8Encoding s_utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="bytes"/>; all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="bytes">The new content.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <inheritdoc cref="Create" path="/exception"/>
    /// <exception cref="DurabilityNotConfirmedException">The content is in place, but flushing the directory failed.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, AtomicFileOptions? options = null)
    {
        using var writer = Create(path, options);
        writer.Write(bytes);
        writer.Commit();
    }

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="bytes"/>; all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="bytes">The new content.</param>
    /// <param name="cancellationToken">Cancels the write until the rename; a cancelled write leaves the file unchanged.</param>
    /// <inheritdoc cref="WriteAllBytes" path="/exception"/>
    /// <exception cref="OperationCanceledException">Cancelled; the file is unchanged.</exception>
    public static Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        WriteAllBytesAsync(path, bytes, options: null, cancellationToken);

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="bytes"/>; all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="bytes">The new content.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the write until the rename; a cancelled write leaves the file unchanged.</param>
    /// <inheritdoc cref="WriteAllBytesAsync(string, ReadOnlyMemory{byte}, CancellationToken)" path="/exception"/>
    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, AtomicFileOptions? options, CancellationToken cancellationToken = default)
    {
        var writer = Create(path, options);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="contents"/> in UTF-8 without a byte order mark; all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="contents">The new text; <see langword="null"/> writes an empty file.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <inheritdoc cref="WriteAllBytes" path="/exception"/>
    public static void WriteAllText(string path, string? contents, AtomicFileOptions? options = null) =>
        WriteAllText(path, contents, s_utf8NoBom, options);

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="contents"/> in <paramref name="encoding"/> (with its preamble, as <see cref="File.WriteAllText(string, string?, Encoding)"/> writes it); all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="contents">The new text; <see langword="null"/> writes only the encoding's preamble.</param>
    /// <param name="encoding">The encoding to write.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <inheritdoc cref="WriteAllBytes" path="/exception"/>
    public static void WriteAllText(string path, string? contents, Encoding encoding, AtomicFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        Write(path, stream =>
        {
            using var text = new StreamWriter(stream, encoding, leaveOpen: true);
            text.Write(contents);
        }, options);
    }

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="contents"/> in UTF-8 without a byte order mark; all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="contents">The new text; <see langword="null"/> writes an empty file.</param>
    /// <param name="cancellationToken">Cancels the write until the rename; a cancelled write leaves the file unchanged.</param>
    /// <inheritdoc cref="WriteAllBytesAsync(string, ReadOnlyMemory{byte}, CancellationToken)" path="/exception"/>
    public static Task WriteAllTextAsync(string path, string? contents, CancellationToken cancellationToken = default) =>
        WriteAllTextAsync(path, contents, s_utf8NoBom, options: null, cancellationToken);

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="contents"/> in UTF-8 without a byte order mark, written as <paramref name="options"/> say; all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="contents">The new text; <see langword="null"/> writes an empty file.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the write until the rename; a cancelled write leaves the file unchanged.</param>
    /// <inheritdoc cref="WriteAllBytesAsync(string, ReadOnlyMemory{byte}, CancellationToken)" path="/exception"/>
    public static Task WriteAllTextAsync(string path, string? contents, AtomicFileOptions? options, CancellationToken cancellationToken = default) =>
        WriteAllTextAsync(path, contents, s_utf8NoBom, options, cancellationToken);

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="contents"/> in <paramref name="encoding"/>; all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="contents">The new text; <see langword="null"/> writes an empty file (or only the encoding's preamble).</param>
    /// <param name="encoding">The encoding to write; <see langword="null"/> for UTF-8 without a byte order mark.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the write until the rename; a cancelled write leaves the file unchanged.</param>
    /// <inheritdoc cref="WriteAllBytesAsync(string, ReadOnlyMemory{byte}, CancellationToken)" path="/exception"/>
    public static Task WriteAllTextAsync(string path, string? contents, Encoding? encoding, AtomicFileOptions? options, CancellationToken cancellationToken = default) =>
        WriteAsync(path, async (stream, ct) =>
        {
            var text = new StreamWriter(stream, encoding ?? s_utf8NoBom, leaveOpen: true);
            await using (text.ConfigureAwait(false))
            {
                await text.WriteAsync(contents.AsMemory(), ct).ConfigureAwait(false);
            }
        }, options, cancellationToken);

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="contents"/>, each line followed by <see cref="Environment.NewLine"/>, in UTF-8 without a byte order mark; all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="contents">The lines to write.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <inheritdoc cref="WriteAllBytes" path="/exception"/>
    public static void WriteAllLines(string path, IEnumerable<string> contents, AtomicFileOptions? options = null) =>
        WriteAllLines(path, contents, s_utf8NoBom, options);

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="contents"/>, each line followed by <see cref="Environment.NewLine"/>, in <paramref name="encoding"/>; all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="contents">The lines to write.</param>
    /// <param name="encoding">The encoding to write.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <inheritdoc cref="WriteAllBytes" path="/exception"/>
    public static void WriteAllLines(string path, IEnumerable<string> contents, Encoding encoding, AtomicFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(encoding);
        Write(path, stream =>
        {
            using var text = new StreamWriter(stream, encoding, leaveOpen: true);
            foreach (var line in contents)
            {
                text.WriteLine(line);
            }
        }, options);
    }

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="contents"/>, each line followed by <see cref="Environment.NewLine"/>, in UTF-8 without a byte order mark; all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="contents">The lines to write.</param>
    /// <param name="cancellationToken">Cancels the write until the rename; a cancelled write leaves the file unchanged.</param>
    /// <inheritdoc cref="WriteAllBytesAsync(string, ReadOnlyMemory{byte}, CancellationToken)" path="/exception"/>
    public static Task WriteAllLinesAsync(string path, IEnumerable<string> contents, CancellationToken cancellationToken = default) =>
        WriteAllLinesAsync(path, contents, s_utf8NoBom, options: null, cancellationToken);

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="contents"/>, each line followed by <see cref="Environment.NewLine"/>, in UTF-8 without a byte order mark, written as <paramref name="options"/> say; all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="contents">The lines to write.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the write until the rename; a cancelled write leaves the file unchanged.</param>
    /// <inheritdoc cref="WriteAllBytesAsync(string, ReadOnlyMemory{byte}, CancellationToken)" path="/exception"/>
    public static Task WriteAllLinesAsync(string path, IEnumerable<string> contents, AtomicFileOptions? options, CancellationToken cancellationToken = default) =>
        WriteAllLinesAsync(path, contents, s_utf8NoBom, options, cancellationToken);

    /// <summary>Replaces <paramref name="path"/>, or creates it, with <paramref name="contents"/>, each line followed by <see cref="Environment.NewLine"/>, in <paramref name="encoding"/>; all or nothing.</summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="contents">The lines to write.</param>
    /// <param name="encoding">The encoding to write; <see langword="null"/> for UTF-8 without a byte order mark.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels the write until the rename; a cancelled write leaves the file unchanged.</param>
    /// <inheritdoc cref="WriteAllBytesAsync(string, ReadOnlyMemory{byte}, CancellationToken)" path="/exception"/>
    public static Task WriteAllLinesAsync(string path, IEnumerable<string> contents, Encoding? encoding, AtomicFileOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return WriteAsync(path, async (stream, ct) =>
        {
            var text = new StreamWriter(stream, encoding ?? s_utf8NoBom, leaveOpen: true);
            await using (text.ConfigureAwait(false))
            {
                foreach (var line in contents)
                {
                    await text.WriteLineAsync(line.AsMemory(), ct).ConfigureAwait(false);
                }
            }
        }, options, cancellationToken);
    }

    /// <summary>
    /// Replaces <paramref name="path"/>, or creates it, with what <paramref name="write"/> writes to the stream it is
    /// given. Commits when the callback returns; if it throws, the file is left unchanged and the exception propagates.
    /// </summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="write">Writes the new content. Must not dispose the stream or keep it past its return.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <inheritdoc cref="WriteAllBytes" path="/exception"/>
    public static void Write(string path, Action<Stream> write, AtomicFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var writer = Create(path, options);
        write(writer);
        writer.Commit();
    }

    /// <summary>
    /// Replaces <paramref name="path"/>, or creates it, with what <paramref name="write"/> writes to the stream it is
    /// given. Commits when the callback completes; if it throws or is cancelled, the file is left unchanged.
    /// </summary>
    /// <param name="path">The file to replace or create. Its directory must exist.</param>
    /// <param name="write">Writes the new content. Must not dispose the stream or keep it past its completion.</param>
    /// <param name="options">How to write; <see langword="null"/> for <see cref="AtomicFileOptions.Default"/>.</param>
    /// <param name="cancellationToken">Passed to <paramref name="write"/>, and honoured until the rename.</param>
    /// <inheritdoc cref="WriteAllBytesAsync(string, ReadOnlyMemory{byte}, CancellationToken)" path="/exception"/>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, ValueTask> write, AtomicFileOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var writer = Create(path, options);
        await using (writer.ConfigureAwait(false))
        {
            await write(writer, cancellationToken).ConfigureAwait(false);
            await writer.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
