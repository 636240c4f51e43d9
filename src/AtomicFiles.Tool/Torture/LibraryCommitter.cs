namespace AtomicFiles.Tool.Torture;

/// <summary>Commits through AtomicFiles with its defaults (full durability): what the torture demo puts to the test.</summary>
internal sealed class LibraryCommitter : ITortureCommitter
{
    // Several writes per commit, so a kill can land between them.
    private const int ChunkSize = 4096;

    // Writers queue on hot files; a timeout would only be noise in the demo.
    private static readonly AtomicFileOptions s_waitForever = new() { LockTimeout = Timeout.InfiniteTimeSpan };

    public void Replace(string path, byte[] content, CommitMethod method)
    {
        if (method == CommitMethod.WriteAllBytes)
        {
            AtomicFile.WriteAllBytes(path, content);
            return;
        }

        using var writer = AtomicFile.Create(path);
        for (var offset = 0; offset < content.Length; offset += ChunkSize)
        {
            writer.Write(content.AsSpan(offset, Math.Min(ChunkSize, content.Length - offset)));
        }

        writer.Commit();
    }

    public void CreateNew(string path, byte[] content)
    {
        using var writer = AtomicFile.CreateNew(path);
        writer.Write(content);
        writer.Commit();
    }

    public void Update(string path, Func<byte[]?, byte[]> transform) =>
        AtomicFile.Update(path, transform, s_waitForever);
}
