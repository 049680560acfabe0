using System.Text;
using System.Text.Json;

namespace Klaviyo.Codegen;

/// <summary>
/// Emits <c>OperationCatalog.SecretBodyFields</c>: the names of request-body properties the spec describes as secrets
/// (a webhook's <c>secret_key</c>: "A secret key, that will be used for webhook request signing"), so redaction
/// masks them wherever a request is printed or stored.
/// </summary>
public static class SecretFieldsEmitter
{
    /// <summary>The property names, sorted, found anywhere under <c>components.schemas</c>.</summary>
    /// <param name="specJson">The spec.</param>
    public static IReadOnlyList<string> Find(string specJson)
    {
        using var document = JsonDocument.Parse(specJson);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        if (
            document.RootElement.TryGetProperty("components", out var components)
            && components.TryGetProperty("schemas", out var schemas)
        )
            Walk(schemas, found);
        return [.. found];
    }

    /// <summary>The generated file.</summary>
    /// <param name="revision">The spec revision.</param>
    /// <param name="specJson">The spec.</param>
    public static GeneratedFile Emit(string revision, string specJson)
    {
        var sb = new StringBuilder();
        sb.Append(Generator.Header(revision));
        sb.Append("\nnamespace Klaviyo;\n\n");
        sb.Append("public static partial class OperationCatalog\n{\n");
        sb.Append(
            "    /// <summary>Request-body fields the spec describes as secrets; masked wherever a request is printed or stored.</summary>\n"
        );
        sb.Append("    public static readonly IReadOnlyList<string> SecretBodyFields =\n    [\n");
        foreach (var name in Find(specJson))
            sb.Append("        \"").Append(name).Append("\",\n");
        sb.Append("    ];\n}\n");
        return new GeneratedFile("OperationCatalog.SecretFields.g.cs", sb.ToString());
    }

    // A property is secret when its name says so (secret, password) or its description calls it a secret key.
    private static void Walk(JsonElement node, SortedSet<string> found)
    {
        var stack = new Stack<JsonElement>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                    stack.Push(item);
                continue;
            }
            if (e.ValueKind != JsonValueKind.Object)
                continue;
            if (
                e.TryGetProperty("properties", out var properties)
                && properties.ValueKind == JsonValueKind.Object
            )
                foreach (var p in properties.EnumerateObject())
                    if (IsSecret(p.Name, p.Value))
                        found.Add(p.Name);
            foreach (var p in e.EnumerateObject())
                stack.Push(p.Value);
        }
    }

    private static bool IsSecret(string name, JsonElement schema)
    {
        var lower = name.ToLowerInvariant();
        if (lower.Contains("secret") || lower.Contains("password"))
            return true;
        if (schema.ValueKind != JsonValueKind.Object)
            return false;
        if (
            schema.TryGetProperty("format", out var format)
            && format.ValueKind == JsonValueKind.String
            && format.GetString() == "password"
        )
            return true;
        return schema.TryGetProperty("description", out var d)
            && d.ValueKind == JsonValueKind.String
            && d.GetString()!.Contains("secret key", StringComparison.OrdinalIgnoreCase);
    }
}
