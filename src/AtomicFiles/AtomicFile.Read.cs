using System.Text;

namespace AtomicFiles;

public static partial class AtomicFile
{
    // Reads share write and delete access: on Windows a reader that refused them would block the next replace of the
    // file (renames fail while such a handle is open), and with them it keeps reading the old content
    // while the replace publishes the new. On Unix a rename never waits for readers; the share mode changes nothing.
    private const FileShare ReadShare = FileShare.ReadWrite | FileShare.Delete;

    private const int ReadBufferSize = 4096;

    /// <summary>
    /// Opens <paramref name="path"/> for reading so that a replace of it proceeds while the stream is open (on Windows,
    /// where the volume allows: see remarks): how to read a file that AtomicFiles replaces. The stream reads one whole
    /// version of the file, old or new, to its end, however often AtomicFiles replaces it meanwhile.
    /// </summary>
    /// <remarks>
    /// On Windows, <see cref="File.OpenRead(string)"/> refuses other processes the right to delete or rename over the
    /// file while it is open, so a replace must wait for such readers (and fails once
    /// <see cref="AtomicFileOptions.WindowsRetryTimeout"/> runs out). This method shares delete access: a replace by
    /// POSIX-semantics rename proceeds at once, and this stream keeps the old file. On volumes without that rename
    /// (FAT, ReFS, network shares, Windows before 10 1607) a replace still waits until this stream is closed. On Unix it
    /// opens the file as <see cref="File.OpenRead(string)"/> does.
    /// </remarks>
    /// <param name="path">The file to read.</param>
    /// <returns>A read-only stream over the file. Dispose it.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="DirectoryNotFoundException">Its directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a directory, or this process may not read the file.</exception>
    /// <exception cref="IOException">The file could not be opened.</exception>
    public static FileStream OpenRead(string path) => OpenRead(path, FileOptions.None);

    /// <summary>Reads the whole of <paramref name="path"/>, opened as <see cref="OpenRead(string)"/> opens it: one version, old or new, without holding up a replace.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The file's content.</returns>
    /// <inheritdoc cref="OpenRead(string)" path="/exception"/>
    public static byte[] ReadAllBytes(string path)
    {
        using var stream = OpenRead(path, FileOptions.SequentialScan);
        var bytes = new byte[InitialLength(stream)];
        var read = 0;
        while (read < bytes.Length && stream.Read(bytes, read, bytes.Length - read) is var count and > 0)
        {
            read += count;
        }

        return read == bytes.Length && StreamIsAtEnd(stream) ? bytes : ReadRest(stream, bytes, read);
    }

    /// <inheritdoc cref="ReadAllBytes(string)"/>
    /// <param name="path">The file to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static async Task<byte[]> ReadAllBytesAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = OpenRead(path, FileOptions.SequentialScan | FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            using var content = new MemoryStream(InitialLength(stream));
            await stream.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
            return content.Length == content.Capacity ? content.GetBuffer() : content.ToArray();
        }
    }

    /// <summary>
    /// Reads the whole of <paramref name="path"/> as text, opened as <see cref="OpenRead(string)"/> opens it: UTF-8 unless
    /// a byte order mark says otherwise, as <see cref="File.ReadAllText(string)"/> reads.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The file's text.</returns>
    /// <inheritdoc cref="OpenRead(string)" path="/exception"/>
    public static string ReadAllText(string path) => ReadAllText(path, Encoding.UTF8);

    /// <summary>
    /// Reads the whole of <paramref name="path"/> as text in <paramref name="encoding"/> (a byte order mark overrides it, as
    /// <see cref="File.ReadAllText(string, Encoding)"/> reads), opened as <see cref="OpenRead(string)"/> opens it.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="encoding">The encoding of the text when the file has no byte order mark.</param>
    /// <returns>The file's text.</returns>
    /// <inheritdoc cref="OpenRead(string)" path="/exception"/>
    public static string ReadAllText(string path, Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        using var reader = new StreamReader(OpenRead(path, FileOptions.SequentialScan), encoding, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <inheritdoc cref="ReadAllText(string)"/>
    /// <param name="path">The file to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static Task<string> ReadAllTextAsync(string path, CancellationToken cancellationToken = default) =>
        ReadAllTextAsync(path, Encoding.UTF8, cancellationToken);

    /// <inheritdoc cref="ReadAllText(string, Encoding)"/>
    /// <param name="path">The file to read.</param>
    /// <param name="encoding">The encoding of the text when the file has no byte order mark.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static async Task<string> ReadAllTextAsync(string path, Encoding encoding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        var stream = OpenRead(path, FileOptions.SequentialScan | FileOptions.Asynchronous);
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private static FileStream OpenRead(string path, FileOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, ReadShare, ReadBufferSize, options);
    }

    // The length when opened; files such as those under /proc say 0 and are read to their end all the same.
    private static int InitialLength(FileStream stream) =>
        stream.Length <= Array.MaxLength ? (int)stream.Length : throw new IOException($"'{stream.Name}' is larger than an array can hold.");

    private static bool StreamIsAtEnd(FileStream stream) => stream.ReadByte() < 0;

    // The file was longer than its length said (written in place by someone else, or a special file): read to its end.
    private static byte[] ReadRest(FileStream stream, byte[] start, int read)
    {
        using var content = new MemoryStream();
        content.Write(start, 0, read);
        if (read == start.Length)
        {
            // StreamIsAtEnd consumed one byte that was there.
            stream.Seek(read, SeekOrigin.Begin);
        }

        stream.CopyTo(content);
        return content.ToArray();
    }
}
