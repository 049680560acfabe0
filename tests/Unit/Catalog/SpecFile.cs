using System.Text.Json;
using Xunit;

namespace Klaviyo.Tests;

/// <summary>
/// Where the official OpenAPI spec is: <c>$KLAVIYO_OPENAPI_SPEC</c>, else <c>../shared/klaviyo-openapi/stable.json</c>
/// beside the repository (the folder holding <c>Klaviyo.sln</c>). The spec is read, never copied into the project.
/// </summary>
internal static class SpecFile
{
    public static readonly string? Repository = Klaviyo.Codegen.Generator.FindRepository(
        AppContext.BaseDirectory
    );

    public static readonly string? Path = Locate();

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path!))
    );

    /// <summary>Why spec tests are skipped, or null when the spec is there.</summary>
    public static string? Missing =>
        Path is null
            ? "the Klaviyo OpenAPI spec was not found (set KLAVIYO_OPENAPI_SPEC or put it at ../shared/klaviyo-openapi/stable.json beside the repository)"
            : null;

    public static JsonElement Root => Document.Value.RootElement;

    private static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("KLAVIYO_OPENAPI_SPEC");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return File.Exists(fromEnvironment) ? fromEnvironment : null;
        if (Repository is null)
            return null;
        var path = Klaviyo.Codegen.Generator.DefaultSpecPath(Repository);
        return File.Exists(path) ? path : null;
    }
}

/// <summary>A fact that needs the spec file: skipped, with the reason shown, when the file is absent.</summary>
public sealed class SpecFactAttribute : FactAttribute
{
    public SpecFactAttribute()
    {
        if (SpecFile.Missing is { } reason)
            Skip = reason;
    }
}
