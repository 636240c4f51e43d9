using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.PublicApi;

/// <summary>
/// docs/api.md must equal what the XML documentation of the built library generates: a doc comment change without the
/// regenerated reference fails here and writes docs/api.received.md to copy over it.
/// </summary>
public sealed class ApiReferenceTests
{
    [Fact]
    public void ApiReference_MatchesTheXmlDocumentation()
    {
        var docs = Path.Join(RepositoryRoot.Path, "docs");
        ApprovedFile.Verify(
            ApiReference.Generate(typeof(AtomicFile).Assembly),
            Path.Join(docs, "api.md"),
            Path.Join(docs, "api.received.md"),
            "the API reference");
    }
}
