using AtomicFiles.PowerLoss.Running;

namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>
/// The harness's root lies in a sticky shared directory, where anyone may create its name first. Whatever is planted
/// there is refused before the harness mounts, attaches loop devices or deletes below it as root. Each case checks
/// the old test too, <see cref="Directory.Exists(string)"/>, which took every one of them for the harness's own.
/// </summary>
public sealed class HarnessRootTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _directory = Directory.CreateTempSubdirectory("atomicfiles-harnessroot-").FullName;

    private string Root => Path.Join(_directory, "root");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [RequiresFact(Requirement.Linux)]
    public void Claim_NothingThere_CreatesAnOwnerOnlyDirectoryAndAcceptsItAgain()
    {
        HarnessRoot.Claim(Root);
        HarnessRoot.Claim(Root);

        File.GetUnixFileMode(Root).Should().Be(OwnerOnly);
    }

    [RequiresFact(Requirement.Linux)]
    public void StaleSweep_LinkPlantedAtTheRoot_IsRefusedNotSwept()
    {
        var victim = Directory.CreateDirectory(Path.Join(_directory, "victim")).FullName;
        File.WriteAllText(Path.Join(victim, "kept"), "victim's file");
        File.CreateSymbolicLink(Root, victim);
        Directory.Exists(Root).Should().BeTrue();

        var sweep = () => StaleSweep.Run(Root);

        sweep.Should().Throw<InvalidOperationException>().WithMessage("*is not this harness's own directory (symbolic link*");
        new FileInfo(Root).LinkTarget.Should().Be(victim);
        File.ReadAllText(Path.Join(victim, "kept")).Should().Be("victim's file");
    }

    [RequiresFact(Requirement.Linux)]
    public void Claim_DirectoryOthersMayWriteTo_IsRefused()
    {
        Directory.CreateDirectory(Root);
        File.SetUnixFileMode(Root, OwnerOnly | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        Directory.Exists(Root).Should().BeTrue();

        var claim = () => HarnessRoot.Claim(Root);

        claim.Should().Throw<InvalidOperationException>().WithMessage("*(directory, owner uid *, mode 723;*");
    }

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void Claim_AnotherUsersDirectory_IsRefused()
    {
        Directory.CreateDirectory(Root, OwnerOnly);
        Command.Run("chown", "65534", Root);
        Directory.Exists(Root).Should().BeTrue();

        var claim = () => HarnessRoot.Claim(Root);

        claim.Should().Throw<InvalidOperationException>().WithMessage("*(directory, owner uid 65534, mode 700;*");
    }
}
