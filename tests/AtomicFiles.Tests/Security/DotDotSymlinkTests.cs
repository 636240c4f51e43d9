using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Security;

/// <summary>
/// A symbolic link whose target contains <c>..</c> after another link: <c>root/l -> ../outside/sub</c>,
/// <c>root/evil -> l/..</c>. Collapsed as text, <c>evil</c> is the root itself; the kernel follows <c>l</c> first and
/// lands in <c>outside</c>. Whatever the library checks must be what the kernel then acts on.
/// </summary>
public sealed class DotDotSymlinkTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public DotDotSymlinkTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Join(Outside, "sub"));
        File.CreateSymbolicLink(Path.Join(Root, "l"), Path.Join("..", "outside", "sub"));
        File.CreateSymbolicLink(Path.Join(Root, "evil"), Path.Join("l", ".."));
        File.WriteAllText(Path.Join(Outside, "x"), "outside x");
    }

    private string Root => _dir.File("root");

    private string Outside => _dir.File("outside");

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Linux)]
    public void Fixture_EvilLeadsOutsideTheRoot_AsTheKernelResolvesIt()
    {
        // The control for the tests below: the kernel itself finds outside/x through root/evil.
        File.ReadAllText(Path.Join(Root, "evil", "x")).Should().Be("outside x");
    }

    [RequiresFact(Requirement.Linux)]
    public void TransactionDelete_ThroughDotDotAfterALink_IsRefusedAndTheOutsideFileIntact()
    {
        FluentActions.Invoking(() =>
            {
                using var tx = AtomicFile.BeginTransaction(Root);
                tx.Delete(Path.Join("evil", "x"));
                tx.Commit();
            })
            .Should().Throw<ArgumentException>().WithMessage("*evil*");

        File.ReadAllText(Path.Join(Outside, "x")).Should().Be("outside x");
    }

    [RequiresFact(Requirement.Linux)]
    public void TransactionWrite_ThroughDotDotAfterALink_IsRefusedAndNothingCreatedOutside()
    {
        FluentActions.Invoking(() =>
            {
                using var tx = AtomicFile.BeginTransaction(Root);
                tx.WriteAllText(Path.Join("evil", "y"), "escaped");
                tx.Commit();
            })
            .Should().Throw<ArgumentException>().WithMessage("*evil*");

        File.Exists(Path.Join(Outside, "y")).Should().BeFalse();
        TempFiles.In(Outside).Should().BeEmpty();
    }

    [RequiresFact(Requirement.Linux)]
    public void WriteAllText_LinkWithDotDotAfterALink_ReplacesTheFileTheKernelReadsThroughIt()
    {
        // f -> l/../target.txt: as text that is root/target.txt, for the kernel outside/target.txt.
        File.WriteAllText(Path.Join(Root, "target.txt"), "root's target");
        File.WriteAllText(Path.Join(Outside, "target.txt"), "outside's target");
        var f = Path.Join(Root, "f");
        File.CreateSymbolicLink(f, Path.Join("l", "..", "target.txt"));
        var readThroughLink = new FileInfo(Path.Join(Outside, "target.txt"));
        File.ReadAllText(f).Should().Be("outside's target", "the kernel resolves l before ..");

        AtomicFile.WriteAllText(f, "new");

        File.ReadAllText(f).Should().Be("new", "the file replaced is the one reading through the link finds");
        File.ReadAllText(Path.Join(Root, "target.txt")).Should().Be("root's target", "a file the link does not lead to is not touched");
        new FileInfo(f).LinkTarget.Should().Be(Path.Join("l", "..", "target.txt"), "the link survives");
        readThroughLink.Refresh();
        readThroughLink.Exists.Should().BeTrue();
    }
}
