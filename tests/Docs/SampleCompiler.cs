using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Klaviyo.Tests;

/// <summary>
/// Compiles one C# block of the docs the way a reader would use it, and nothing more:
/// <list type="bullet">
/// <item>A block with statements is the <c>Program.cs</c> of a new <c>dotnet new console</c> app. The only usings it
/// gets for free are that template's implicit ones (<see cref="ConsoleUsings"/>); every other namespace
/// (<c>Klaviyo</c>, <c>LanguageExt</c>, <c>static LanguageExt.Prelude</c>, …) must be written in the block.</item>
/// <item>A block with declarations only (a class, a record, a test class) is a file the reader adds to that app:
/// it is compiled as a library with the same implicit usings, so it needs no <c>Main</c>. That is the only
/// wrapping done.</item>
/// <item>A block fenced <c>```csharp web</c> is the <c>Program.cs</c> of <c>dotnet new web</c>: the ASP.NET Core
/// shared framework and that template's implicit usings (<see cref="WebUsings"/>).</item>
/// </list>
/// The references are the .NET shared framework plus the Klaviyo library packages (Operations, Models,
/// Interpreters, Extensions.DependencyInjection, RateLimiting.Redis) with everything they depend on — what
/// <c>dotnet add package</c> of those brings. Anything else a block needs (xunit, OpenTelemetry) is not there.
/// </summary>
public static class SampleCompiler
{
    /// <summary>The implicit usings of a <c>Microsoft.NET.Sdk</c> console app.</summary>
    public static readonly IReadOnlyList<string> ConsoleUsings =
    [
        "System",
        "System.Collections.Generic",
        "System.IO",
        "System.Linq",
        "System.Net.Http",
        "System.Threading",
        "System.Threading.Tasks",
    ];

    /// <summary>The implicit usings of a <c>Microsoft.NET.Sdk.Web</c> app: the console ones and these.</summary>
    public static readonly IReadOnlyList<string> WebUsings =
    [
        .. ConsoleUsings,
        "System.Net.Http.Json",
        "Microsoft.AspNetCore.Builder",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.Extensions.Configuration",
        "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Hosting",
        "Microsoft.Extensions.Logging",
    ];

    /// <summary>The library packages a reader references; their dependencies come with them.</summary>
    public static readonly IReadOnlyList<string> LibraryAssemblies =
    [
        "Klaviyo.Operations",
        "Klaviyo.Models",
        "Klaviyo.Interpreters",
        "Klaviyo.Extensions.DependencyInjection",
        "Klaviyo.RateLimiting.Redis",
    ];

    /// <summary>The compiler errors of <paramref name="code"/>, empty when it compiles.</summary>
    /// <param name="code">The block.</param>
    /// <param name="web">Compile it as the <c>Program.cs</c> of <c>dotnet new web</c>.</param>
    /// <param name="name">The assembly name.</param>
    /// <param name="libraries">
    /// The library packages the reader added (their dependencies come with them); all of
    /// <see cref="LibraryAssemblies"/> when <c>null</c>. A package's own README is compiled with that package only.
    /// </param>
    public static IReadOnlyList<string> Errors(
        string code,
        bool web = false,
        string name = "DocSample",
        IReadOnlyList<string>? libraries = null
    )
    {
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var usings = string.Join(
            "\n",
            (web ? WebUsings : ConsoleUsings).Select(u => $"global using global::{u};")
        );
        var sample = CSharpSyntaxTree.ParseText(code, options, path: "Program.cs");
        var hasStatements = sample
            .GetRoot()
            .DescendantNodes()
            .OfType<GlobalStatementSyntax>()
            .Any();
        var compilation = CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText(usings, options, path: "ImplicitUsings.g.cs"), sample],
            ReferencesFor(web, libraries ?? LibraryAssemblies),
            new CSharpCompilationOptions(
                hasStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable
            )
        );
        return compilation
            .GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .ToList();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<
        string,
        Lazy<List<MetadataReference>>
    > Cache = new();

    private static List<MetadataReference> ReferencesFor(
        bool web,
        IReadOnlyList<string> libraries
    ) =>
        Cache
            .GetOrAdd(
                $"{web}|{string.Join(",", libraries)}",
                _ =>
                    new(() =>
                        References(
                            web
                                ?
                                [
                                    .. ManagedDlls(AspNetCoreDirectory()),
                                    .. ManagedDlls(RuntimeDirectory()),
                                ]
                                : ManagedDlls(RuntimeDirectory()),
                            libraries
                        )
                    )
            )
            .Value;

    private static string RuntimeDirectory() => RuntimeEnvironment.GetRuntimeDirectory();

    /// <summary>shared/Microsoft.NETCore.App/10.0.x/ → shared/Microsoft.AspNetCore.App/(newest 10.0.x)/</summary>
    private static string AspNetCoreDirectory()
    {
        var runtime = new DirectoryInfo(RuntimeDirectory().TrimEnd('/', '\\'));
        var major = runtime.Name.Split('.')[0] + ".";
        return new DirectoryInfo(
                Path.Combine(runtime.Parent!.Parent!.FullName, "Microsoft.AspNetCore.App")
            )
                .GetDirectories(major + "*")
                .OrderBy(d => Version.TryParse(d.Name.Split('-')[0], out var v) ? v : new Version())
                .LastOrDefault()
                ?.FullName
            ?? throw new InvalidOperationException(
                "the ASP.NET Core shared framework is not installed"
            );
    }

    // The framework's own copies win over the package ones (Microsoft.Extensions.* in a web app).
    private static List<MetadataReference> References(
        IEnumerable<string> framework,
        IReadOnlyList<string> libraries
    ) =>
        framework
            .Concat(LibraryClosure(libraries))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => (MetadataReference)MetadataReference.CreateFromFile(g.First()))
            .ToList();

    /// <summary>The library assemblies and, transitively, every assembly of the test's output they reference.</summary>
    private static List<string> LibraryClosure(IReadOnlyList<string> libraries)
    {
        var dir = AppContext.BaseDirectory;
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>(WithProjectDependencies(libraries));
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            var path = Path.Combine(dir, name + ".dll");
            if (!seen.Add(name) || !File.Exists(path))
                continue; // not in the output folder: part of the shared framework
            found.Add(path);
            using var pe = new PEReader(File.OpenRead(path));
            var md = pe.GetMetadataReader();
            foreach (var handle in md.AssemblyReferences)
                queue.Enqueue(md.GetString(md.GetAssemblyReference(handle).Name));
        }
        return found;
    }

    /// <summary>
    /// The libraries and the Klaviyo libraries they depend on as packages (their project references): a package
    /// dependency holds even when the compiled assembly does not reference it.
    /// </summary>
    private static IEnumerable<string> WithProjectDependencies(IReadOnlyList<string> libraries)
    {
        var found = new List<string>();
        var queue = new Queue<string>(libraries);
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            if (found.Contains(name))
                continue;
            found.Add(name);
            var csproj = Path.Combine(DocFiles.Root, "src", name, name + ".csproj");
            foreach (
                var reference in System
                    .Xml.Linq.XDocument.Load(csproj)
                    .Descendants("ProjectReference")
                    .Select(e => (string?)e.Attribute("Include"))
                    .OfType<string>()
            )
                queue.Enqueue(Path.GetFileNameWithoutExtension(reference.Replace('\\', '/')));
        }
        return found;
    }

    private static IEnumerable<string> ManagedDlls(string dir) =>
        Directory
            .GetFiles(dir, "*.dll")
            .Order(StringComparer.Ordinal)
            .Where(path =>
            {
                using var pe = new PEReader(File.OpenRead(path));
                return pe.HasMetadata;
            });
}
