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
        WriteInChunks(writer, content);
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

    public void CommitTransaction(string root, IReadOnlyList<string> paths, Func<IReadOnlyList<byte[]?>, byte[]> next)
    {
        // Begin first: it finishes or rolls back the transaction of a writer killed before us, so what we read is whole.
        using var transaction = AtomicFile.BeginTransaction(root, s_waitForever);
        var content = next([.. paths.Select(path => File.Exists(path) ? File.ReadAllBytes(path) : null)]);
        for (var i = 0; i < paths.Count; i++)
        {
            if (i % 2 == 0)
            {
                transaction.WriteAllBytes(paths[i], content);
                continue;
            }

            // Every other file streamed in chunks, so both staging paths are under fire.
            using var stream = transaction.Create(paths[i]);
            WriteInChunks(stream, content);
        }

        transaction.Commit();
    }

    private static void WriteInChunks(Stream stream, byte[] content)
    {
        for (var offset = 0; offset < content.Length; offset += ChunkSize)
        {
            stream.Write(content.AsSpan(offset, Math.Min(ChunkSize, content.Length - offset)));
        }
    }
}
