namespace AtomicFiles.Tool.Commands;

/// <summary>
/// Compares what is being written with the file it would replace, chunk by chunk as it streams by, so
/// `write --if-changed` can leave a file whose content would not change untouched, as `install -C` does.
/// </summary>
internal sealed class ContentComparer : IDisposable
{
    private readonly Stream? _existing;
    private byte[] _buffer = [];
    private bool _same;

    private ContentComparer(Stream? existing)
    {
        _existing = existing;
        _same = existing is not null;
    }

    /// <summary>Opens the file at <paramref name="path"/> for the comparison; nothing there (or a link that would be replaced, not followed) compares as different.</summary>
    internal static ContentComparer Open(string path, bool followsLinks)
    {
        try
        {
            return !followsLinks && new FileInfo(path).LinkTarget is not null ? new(null) : new(File.OpenRead(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return new(null);
        }
    }

    /// <summary>Compares the next <paramref name="chunk"/> of the input with the next bytes of the file.</summary>
    internal void Compare(ReadOnlySpan<byte> chunk)
    {
        if (!_same)
        {
            return;
        }

        if (_buffer.Length < chunk.Length)
        {
            _buffer = new byte[chunk.Length];
        }

        var existing = _buffer.AsSpan(0, chunk.Length);
        _same = _existing!.ReadAtLeast(existing, chunk.Length, throwOnEndOfStream: false) == chunk.Length && existing.SequenceEqual(chunk);
    }

    /// <summary>Whether the whole input equalled the whole file: call once the input has ended.</summary>
    internal bool EndedSame() => _same && _existing!.ReadByte() == -1;

    public void Dispose() => _existing?.Dispose();
}
