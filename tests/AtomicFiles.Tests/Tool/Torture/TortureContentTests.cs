using AtomicFiles.Tool.Torture;

namespace AtomicFiles.Tests.Tool.Torture;

public sealed class TortureContentTests
{
    [Fact]
    public void Decode_CompleteVersion_ReturnsItsVersion()
    {
        var decoded = TortureContent.Decode(TortureContent.Create(version: 42, slot: 3, size: 4096));

        decoded.IsValid.Should().BeTrue();
        decoded.Version.Should().Be(42);
    }

    [Fact]
    public void Decode_Empty_IsInvalid()
    {
        TortureContent.Decode([]).Problem.Should().Be("empty file");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4095)]
    public void Decode_Truncated_IsInvalid(int length)
    {
        var bytes = TortureContent.Create(7, 0, 4096);

        TortureContent.Decode(bytes.AsSpan(0, length)).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Decode_OneFlippedByte_FailsTheChecksum()
    {
        var bytes = TortureContent.Create(7, 0, 4096);
        bytes[2000] ^= 1;

        TortureContent.Decode(bytes).Problem.Should().Contain("SHA-256");
    }

    [Fact]
    public void Decode_TwoVersionsSplicedTogether_IsInvalid()
    {
        var older = TortureContent.Create(7, 0, 4096);
        var newer = TortureContent.Create(8, 0, 4096);
        var torn = newer[..2048].Concat(older[2048..]).ToArray();

        TortureContent.Decode(torn).IsValid.Should().BeFalse();
    }

    [Fact]
    public void Create_SizeBelowTheMinimum_Throws()
    {
        var act = () => TortureContent.Create(1, 0, TortureContent.MinimumSize - 1);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
