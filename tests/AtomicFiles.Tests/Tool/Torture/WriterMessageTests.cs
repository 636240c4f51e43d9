using AtomicFiles.Tool.Torture;

namespace AtomicFiles.Tests.Tool.Torture;

public sealed class WriterMessageTests
{
    [Fact]
    public void Parse_FormattedCommit_RoundTrips()
    {
        var commit = new WriterMessage.Committed(CommitMethod.Update, "shared-1.dat", 12345);

        WriterMessage.Parse(commit.ToString()).Should().Be(commit);
    }

    [Fact]
    public void Parse_FormattedCorrupt_RoundTripsAProblemWithSpaces()
    {
        var corrupt = new WriterMessage.Corrupt("shared-0.dat", "100 bytes where version 3 has 4096 (torn)");

        WriterMessage.Parse(corrupt.ToString()).Should().Be(corrupt);
    }

    [Fact]
    public void Parse_Ready_IsReady()
    {
        WriterMessage.Parse(new WriterMessage.Ready().ToString()).Should().BeOfType<WriterMessage.Ready>();
    }

    [Theory]
    [InlineData("")]
    [InlineData("commit Create shared-0.dat")]
    [InlineData("commit Teleport shared-0.dat 3")]
    [InlineData("commit Create shared-0.dat three")]
    [InlineData("Unhandled exception. System.IO.IOException")]
    public void Parse_AnythingElse_IsNull(string line)
    {
        WriterMessage.Parse(line).Should().BeNull();
    }
}
