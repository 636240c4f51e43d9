using System.Text;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests;

/// <summary>
/// AtomicFile.OpenRead and ReadAll*: what they return, on both platforms, and that a reader through them does not block
/// a replace where the OS lets a rename pass open files (Unix, and Windows on NTFS).
/// </summary>
public sealed class AtomicFileReadTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(200_001)]
    public async Task ReadAllBytes_SyncAndAsync_ReturnTheWholeFile(int length)
    {
        var path = _dir.File("a.bin");
        var content = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(path, content);

        AtomicFile.ReadAllBytes(path).Should().Equal(content);
        (await AtomicFile.ReadAllBytesAsync(path)).Should().Equal(content);
    }

    [Fact]
    public async Task ReadAllText_NoByteOrderMark_ReadsUtf8OrTheGivenEncoding()
    {
        var path = _dir.File("a.txt");
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes("grüße"));

        AtomicFile.ReadAllText(path).Should().Be("grüße");
        (await AtomicFile.ReadAllTextAsync(path)).Should().Be("grüße");
        AtomicFile.ReadAllText(path, Encoding.Latin1).Should().Be(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("grüße")));
        (await AtomicFile.ReadAllTextAsync(path, Encoding.Latin1)).Should().Be(Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("grüße")));
    }

    [Fact]
    public void ReadAllText_ByteOrderMark_OverridesTheGivenEncoding()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "grüße", Encoding.Unicode);

        AtomicFile.ReadAllText(path, Encoding.Latin1).Should().Be("grüße");
    }

    [Fact]
    public void ReadAllBytes_WhatAtomicFileWrote_ReadsIt()
    {
        var path = _dir.File("a.bin");
        AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        AtomicFile.WriteAllBytes(path, new byte[] { 4, 5 });

        AtomicFile.ReadAllBytes(path).Should().Equal(4, 5);
    }

    [Fact]
    public async Task ReadAll_MissingFile_ThrowsFileNotFound()
    {
        var path = _dir.File("missing");

        FluentActions.Invoking(() => AtomicFile.ReadAllBytes(path)).Should().Throw<FileNotFoundException>();
        FluentActions.Invoking(() => AtomicFile.OpenRead(path)).Should().Throw<FileNotFoundException>();
        await FluentActions.Awaiting(() => AtomicFile.ReadAllTextAsync(path)).Should().ThrowAsync<FileNotFoundException>();
    }

    [Fact]
    public async Task ReadAllAsync_Cancelled_Throws()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "content");

        await FluentActions.Awaiting(() => AtomicFile.ReadAllBytesAsync(path, new CancellationToken(canceled: true))).Should().ThrowAsync<OperationCanceledException>();
        await FluentActions.Awaiting(() => AtomicFile.ReadAllTextAsync(path, new CancellationToken(canceled: true))).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void ReadAll_EmptyPath_ThrowsArgumentException()
    {
        FluentActions.Invoking(() => AtomicFile.OpenRead(" ")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => AtomicFile.ReadAllText("a", null!)).Should().Throw<ArgumentNullException>();
    }

    // A file whose length says 0 though it has content is read to its end all the same.
    [RequiresFact(Requirement.Linux)]
    public void ReadAllBytes_FileLongerThanItsLength_ReadsToTheEnd()
    {
        new FileInfo("/proc/self/status").Length.Should().Be(0);

        Encoding.ASCII.GetString(AtomicFile.ReadAllBytes("/proc/self/status")).Should().StartWith("Name:");
        AtomicFile.ReadAllText("/proc/self/status").Should().Contain("\nPid:");
    }

    [Fact]
    public void OpenRead_ThenReplaced_ReaderKeepsTheOldFileAndThePathHasTheNew()
    {
        var path = _dir.File("a.txt");
        AtomicFile.WriteAllText(path, "old content");
        using var reader = AtomicFile.OpenRead(path);
        reader.ReadByte().Should().Be('o');
        var replace = () => AtomicFile.WriteAllText(path, "new", new AtomicFileOptions { WindowsRetryTimeout = TimeSpan.Zero });

        if (WindowsHost.ReadersNeverBlockReplace)
        {
            replace();
            AtomicFile.ReadAllText(path).Should().Be("new");
        }
        else
        {
            // Wine 8: no POSIX-semantics rename, so the classic-rename fallback waits for the reader, here not at all.
            replace.Should().Throw<UnauthorizedAccessException>();
            AtomicFile.ReadAllText(path).Should().Be("old content");
        }

        new StreamReader(reader).ReadToEnd().Should().Be("ld content");
        TempFiles.In(_dir.Path).Should().BeEmpty();
    }
}
