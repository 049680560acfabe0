using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// Every ```csharp block in README.md and docs/ compiles against the library, each block on its own as a
/// program with top-level statements (implicit usings plus Klaviyo and LanguageExt). A block fenced as
/// ```csharp no-compile is skipped (for fragments that show a signature, not a program).
/// </summary>
public partial class DocSamplesTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string, int> Samples()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in DocFiles())
        {
            var blocks = Blocks(File.ReadAllText(Path.Combine(Root, file)));
            for (var i = 0; i < blocks.Count; i++)
                data.Add(file, i);
        }
        return data;
    }

    [Fact]
    public void The_docs_hold_csharp_samples_to_check()
    {
        Assert.True(Samples().Count() >= 1, "no ```csharp block found in README.md or docs/");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_csharp_sample_in_the_docs_compiles(string file, int index)
    {
        var code = Blocks(File.ReadAllText(Path.Combine(Root, file)))[index];
        var usings = """
            global using System;
            global using System.Collections.Generic;
            global using System.IO;
            global using System.Linq;
            global using System.Net.Http;
            global using System.Threading;
            global using System.Threading.Tasks;
            global using System.Text.Json;
            global using Klaviyo;
            global using LanguageExt;
            global using static LanguageExt.Prelude;
            """;
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var sample = CSharpSyntaxTree.ParseText(code, options);
        // A sample with statements is a program; one with only declarations (a test class, say) is a library.
        var kind = sample
            .GetRoot()
            .DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax>()
            .Any()
            ? OutputKind.ConsoleApplication
            : OutputKind.DynamicallyLinkedLibrary;
        var compilation = CSharpCompilation.Create(
            $"DocSample_{Path.GetFileNameWithoutExtension(file)}_{index}",
            [CSharpSyntaxTree.ParseText(usings, options), sample],
            References.Value,
            new CSharpCompilationOptions(
                kind,
                nullableContextOptions: NullableContextOptions.Enable
            )
        );
        var errors = compilation
            .GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToList();
        Assert.True(
            errors.Count == 0,
            $"{file} sample #{index + 1} does not compile:\n{string.Join("\n", errors)}\n---\n{code}"
        );
    }

    private static readonly Lazy<List<MetadataReference>> References = new(() =>
    {
        // Make sure our assemblies are loaded, then reference everything the test host can see.
        _ = typeof(RequestOperation).Assembly;
        _ = typeof(Interpreter).Assembly;
        _ = typeof(KlaviyoSettings).Assembly;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .ToHashSet();
        foreach (var dll in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            paths.Add(dll);
        return paths
            .Where(p => !Path.GetFileName(p).StartsWith("Klaviyo.Tests", StringComparison.Ordinal))
            .GroupBy(Path.GetFileName)
            .Select(g => (MetadataReference)MetadataReference.CreateFromFile(g.First()))
            .ToList();
    });

    private static IEnumerable<string> DocFiles()
    {
        yield return "README.md";
        var docs = Path.Combine(Root, "docs");
        if (Directory.Exists(docs))
            foreach (
                var f in Directory
                    .GetFiles(docs, "*.md", SearchOption.AllDirectories)
                    .Order(StringComparer.Ordinal)
            )
                yield return Path.GetRelativePath(Root, f);
    }

    private static List<string> Blocks(string markdown) =>
        CsharpBlock().Matches(markdown).Select(m => m.Groups["code"].Value).ToList();

    [GeneratedRegex(
        @"^```(?:csharp|cs|c#)[ \t]*\r?\n(?<code>.*?)^```",
        RegexOptions.Multiline | RegexOptions.Singleline
    )]
    private static partial Regex CsharpBlock();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Klaviyo.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
