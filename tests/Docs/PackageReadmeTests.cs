using System.Buffers.Binary;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// Each package's own README, shown on its package page: it exists and is packed, names the package and how to
/// install it, links only with absolute URLs (relative ones break on nuget.org), keeps CLI instructions to the
/// CLI package, and its C# blocks compile with that package alone.
/// </summary>
public partial class PackageReadmeTests
{
    /// <summary>The packable projects: the five libraries and the tool.</summary>
    private static readonly string[] LibraryPackages =
    [
        "Klaviyo.Operations",
        "Klaviyo.Models",
        "Klaviyo.Interpreters",
        "Klaviyo.Extensions.DependencyInjection",
        "Klaviyo.RateLimiting.Redis",
    ];

    private const string Tool = "Klaviyo.Cli";

    public static TheoryData<string> Packages() => new([.. LibraryPackages, Tool]);

    public static TheoryData<string> Libraries() => new(LibraryPackages);

    [Fact]
    public void Every_packable_project_is_checked_here()
    {
        var packable = Directory
            .GetFiles(Path.Combine(DocFiles.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => Project(p).Descendants("IsPackable").Any(e => e.Value.Trim() == "true"))
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal);
        Assert.Equal([.. LibraryPackages.Append(Tool).Order(StringComparer.Ordinal)], packable);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_package_packs_its_own_README_as_the_package_readme(string package)
    {
        var project = Project(CsprojPath(package));
        Assert.Equal("README.md", project.Descendants("PackageReadmeFile").Single().Value.Trim());
        var packed = project
            .Descendants("None")
            .Where(e => (string?)e.Attribute("Pack") == "true")
            .Select(e => (string?)e.Attribute("Include"))
            .ToList();
        Assert.Contains("README.md", packed); // this folder's README, not the repository's
        Assert.True(File.Exists(ReadmePath(package)), $"src/{package}/README.md is missing");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_README_names_the_package_and_how_to_install_it(string package)
    {
        var text = File.ReadAllText(ReadmePath(package));
        Assert.StartsWith($"# {package}\n", text.Replace("\r\n", "\n"));
        var install =
            package == Tool
                ? $"dotnet tool install --global {package}"
                : $"dotnet add package {package}";
        Assert.Contains(install, text);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_README_links_only_with_absolute_URLs_to_files_that_exist(string package)
    {
        var links = LinkTargets(File.ReadAllText(ReadmePath(package)));
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.StartsWith("https://", link));
        var repository = RepositoryUrl();
        foreach (
            var link in links.Where(l =>
                l.Contains("github.com", StringComparison.OrdinalIgnoreCase)
            )
        )
        {
            Assert.StartsWith(repository, link); // the RepositoryUrl of Directory.Build.props
            var blob = $"{repository}/blob/main/";
            if (link.StartsWith(blob, StringComparison.Ordinal))
            {
                var path = link[blob.Length..].Split('#')[0];
                Assert.True(
                    File.Exists(Path.Combine(DocFiles.Root, path)),
                    $"{link}: no {path} in the repository"
                );
            }
        }
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void A_library_README_gives_no_command_line_tool_instructions(string package)
    {
        var text = File.ReadAllText(ReadmePath(package));
        foreach (
            var cli in new[]
            {
                "klaviyo call",
                "klaviyo operations",
                "klaviyo describe",
                "dotnet tool",
                "dotnet run",
            }
        )
            Assert.DoesNotContain(cli, text);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public void A_library_README_has_a_csharp_sample_that_compiles_with_that_package_alone(
        string package
    )
    {
        var blocks = MarkdownBlocks
            .Read(File.ReadAllText(ReadmePath(package)))
            .Where(b => b.IsCSharp)
            .ToList();
        Assert.NotEmpty(blocks);
        foreach (var block in blocks)
        {
            Assert.False(
                block.IsNoCompile,
                $"src/{package}/README.md:{block.Line}: a package page shows only code that compiles"
            );
            var errors = SampleCompiler.Errors(
                block.Code,
                web: block.Attributes.Contains("web"),
                name: $"Readme_{package.Replace('.', '_')}_{block.Line}",
                libraries: [package]
            );
            Assert.True(
                errors.Count == 0,
                $"src/{package}/README.md:{block.Line} does not compile with {package} alone:\n{string.Join("\n", errors)}\n---\n{block.Code}"
            );
        }
    }

    [Fact]
    public void Every_package_has_the_128_pixel_PNG_icon()
    {
        var props = Project(Path.Combine(DocFiles.Root, "Directory.Build.props"));
        Assert.Equal("icon.png", props.Descendants("PackageIcon").Single().Value.Trim());
        var icon = props
            .Descendants("None")
            .Single(e =>
                ((string?)e.Attribute("Include"))?.EndsWith("icon.png", StringComparison.Ordinal)
                == true
            );
        Assert.Equal("true", (string?)icon.Attribute("Pack"));
        var bytes = File.ReadAllBytes(Path.Combine(DocFiles.Root, "src", "icon.png"));
        Assert.Equal(
            new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A },
            bytes[..8]
        );
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        Assert.Equal(128, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(128, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void The_link_check_finds_relative_links()
    {
        var links = LinkTargets(
            "See [docs](docs/cli.md), [![icon](icon.png)](https://x.example/)\n[ref]: ../README.md\n<a href=\"a.md\">a</a>"
        );
        Assert.Equal(
            ["docs/cli.md", "icon.png", "https://x.example/", "../README.md", "a.md"],
            links
        );
    }

    /// <summary>Markdown links and images, reference definitions, and HTML href/src attributes.</summary>
    private static List<string> LinkTargets(string markdown) =>
        [
            .. Link()
                .Matches(markdown)
                .Select(m => m.Groups.Values.Skip(1).First(g => g.Success).Value),
        ];

    [GeneratedRegex(
        @"\]\(\s*<?([^)\s>]+)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$|(?:href|src)\s*=\s*""([^""]*)""",
        RegexOptions.Multiline
    )]
    private static partial Regex Link();

    private static string RepositoryUrl() =>
        Project(Path.Combine(DocFiles.Root, "Directory.Build.props"))
            .Descendants("RepositoryUrl")
            .Single()
            .Value.Trim()
            .TrimEnd('/');

    private static XDocument Project(string path) => XDocument.Load(path);

    private static string CsprojPath(string package) =>
        Path.Combine(DocFiles.Root, "src", package, package + ".csproj");

    private static string ReadmePath(string package) =>
        Path.Combine(DocFiles.Root, "src", package, "README.md");
}
