using System.Runtime.InteropServices;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Packaging;

/// <summary>
/// What a user does with the packages: reference the library from a local feed in a fresh app outside the solution,
/// build, run, publish trimmed and self-contained with zero trim warnings; install the tool and use it.
/// With <c>ATOMICFILES_SMOKE_PUBLISH=aot</c> the app is published with Native AOT instead: .ci/run and the GitHub
/// workflow do that as a second run of this class.
/// </summary>
public sealed class ConsumerSmokeTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly TempDirectory _dir = new();
    private readonly string _version = $"0.0.0-smoke.{Guid.NewGuid():N}"[..24];

    private static bool PublishNativeAot => Environment.GetEnvironmentVariable("ATOMICFILES_SMOKE_PUBLISH") == "aot";

    public void Dispose()
    {
        // Keep the user's package cache free of throwaway versions.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "atomicfiles", "atomicfiles.tool" })
        {
            var folder = Path.Join(cache, id, _version);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        _dir.Dispose();
    }

    [Fact]
    public void PackedPackages_FreshConsumer_BuildsRunsPublishesTrimmedAndInstallsTheTool()
    {
        var feed = Directory.CreateDirectory(_dir.File("feed")).FullName;
        foreach (var project in new[] { "src/AtomicFiles/AtomicFiles.csproj", "src/AtomicFiles.Tool/AtomicFiles.Tool.csproj" })
        {
            Dotnet(RepositoryRoot.Path, "pack", Path.Join(RepositoryRoot.Path, project), "-c", Configuration, "-o", feed, $"-p:PackageVersion={_version}");
        }

        Directory.GetFiles(feed).Select(Path.GetFileName).Should().BeEquivalentTo(
            $"AtomicFiles.{_version}.nupkg", $"AtomicFiles.{_version}.snupkg", $"AtomicFiles.Tool.{_version}.nupkg");
        foreach (var package in new[] { $"AtomicFiles.{_version}.nupkg", $"AtomicFiles.Tool.{_version}.nupkg" })
        {
            ShouldBeWrittenForPackageUsers(Path.Join(feed, package));
        }


        var app = WriteConsumerApp(feed);
        var output = _dir.File("settings.json");
        Dotnet(app, "build", "-c", "Release");
        Dotnet(app, "run", "-c", "Release", "--no-build", "--", output);
        File.ReadAllText(output).Should().Be("{\"theme\":\"dark\"}");

        var published = _dir.File("published");
        var publish = Dotnet(app, "publish", "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained",
            PublishNativeAot ? "-p:PublishAot=true" : "-p:PublishTrimmed=true", "-o", published);
        publish.Should().NotContain("warning IL", "the library must be trim- and AOT-safe");
        File.Delete(output);
        Command.Run(Path.Join(published, OperatingSystem.IsWindows() ? "consumer.exe" : "consumer"), app, [output]);
        File.ReadAllText(output).Should().Be("{\"theme\":\"dark\"}");

        var tools = _dir.File("tools");
        Dotnet(_dir.Path, "tool", "install", "AtomicFiles.Tool", "--tool-path", tools, "--add-source", feed, "--version", _version);
        var written = _dir.File("from-tool.txt");
        Command.Run(Path.Join(tools, OperatingSystem.IsWindows() ? "atomicfile.exe" : "atomicfile"), _dir.Path, ["write", written], stdin: "sponged");
        File.ReadAllText(written).Should().Be("sponged");
    }

    private string WriteConsumerApp(string feed)
    {
        var app = Directory.CreateDirectory(_dir.File("consumer")).FullName;
        File.WriteAllText(Path.Join(app, "consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="AtomicFiles" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Join(app, "Program.cs"), """
            using AtomicFiles;

            using var w = AtomicFile.Create(args[0]);
            w.Write("{\"theme\":\"dark\"}"u8);
            w.Commit();
            """);

        // Added to the sources the machine already has; the repository's own build files must not leak in.
        File.WriteAllText(Path.Join(app, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="smoke-feed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Join(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Join(app, "Directory.Packages.props"), "<Project />");
        return app;
    }

    /// <summary>
    /// A package's readme is its own — absolute links only, the install command — its release notes are the CHANGELOG's,
    /// and the tool package carries no PDB or XML docs (they ship once, in the library's packages).
    /// </summary>
    private static void ShouldBeWrittenForPackageUsers(string package)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(package);
        string Read(string name)
        {
            using var reader = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(name, StringComparison.Ordinal)).Open());
            return reader.ReadToEnd();
        }

        var readme = Read("README.md");
        readme.Should().Match(r => r.Contains("dotnet add package AtomicFiles", StringComparison.Ordinal) || r.Contains("dotnet tool install -g AtomicFiles.Tool", StringComparison.Ordinal), "the readme shows how to install");
        System.Text.RegularExpressions.Regex.Matches(readme, @"\]\(([^)]*)\)").Select(m => m.Groups[1].Value).Should().OnlyContain(l => l.StartsWith("https://", StringComparison.Ordinal));
        Read(".nuspec").Should().Contain("<releaseNotes>## [Unreleased]");
        if (package.Contains(".Tool.", StringComparison.Ordinal))
        {
            zip.Entries.Select(e => e.FullName).Should().NotContain(e => e.EndsWith(".pdb", StringComparison.Ordinal) || e.EndsWith("AtomicFiles.xml", StringComparison.Ordinal));
        }
    }

    private static string Dotnet(string workingDirectory, params string[] args) => Command.Run(ToolProcess.DotnetHost, workingDirectory, args);
}
