namespace AtomicFiles.Tests;

public sealed class AtomicFileWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Commit_NewFile_PublishesContentAndLeavesNoTemp()
    {
        var path = _dir.File("a.txt");
        using (var writer = AtomicFile.Create(path))
        {
            writer.Write("hello"u8);
            writer.Commit();
            writer.IsCommitted.Should().BeTrue();
        }

        File.ReadAllText(path).Should().Be("hello");
        _dir.Entries().Should().Equal("a.txt");
    }
}
