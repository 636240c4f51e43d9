namespace AtomicFiles.Tests.PublicApi;

/// <summary>
/// Approval of generated text against a committed file: on a difference the generated text is written beside it as
/// the "received" file (git-ignored), so accepting a change is copying one file over the other.
/// </summary>
internal static class ApprovedFile
{
    internal static void Verify(string actual, string approvedPath, string receivedPath, string what)
    {
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (actual != approved)
        {
            File.WriteAllText(receivedPath, actual);
        }
        else
        {
            File.Delete(receivedPath);
        }

        actual.Should().Be(approved, $"{what} changed; review {receivedPath} and copy it over {approvedPath}");
    }
}
