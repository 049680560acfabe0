using System.Text;

namespace Klaviyo.Codegen;

/// <summary>
/// The generated models an operation is typed with: its success response (<c>RequestOperation&lt;T&gt;</c>), the
/// resource of a listing's <c>data</c> (<c>ListingOperation&lt;TPage, TItem&gt;</c>), and its JSON body (the typed
/// overload). Each is the C# type as written inside namespace <c>Klaviyo</c> (<c>Models.GetListResponse</c>), or
/// null when the spec gives no model.
/// </summary>
public sealed record OperationTypes(
    string? Response,
    RecordDefinition? ResponseRecord,
    string? Item,
    string? Body
)
{
    /// <summary>No typing: the operation stays a plain <c>RequestOperation</c> taking <c>object body</c>.</summary>
    public static readonly OperationTypes None = new(null, null, null, null);

    /// <summary>The generated method's return type.</summary>
    public string ReturnType =>
        Response is null ? "RequestOperation"
        : Item is null ? $"RequestOperation<{Response}>"
        : $"ListingOperation<{Response}, {Item}>";

    /// <summary>The types of <paramref name="op"/>'s models in <paramref name="models"/>.</summary>
    public static OperationTypes Of(SpecOperation op, ModelSet models)
    {
        var response = op.ResponseSchemaName is { } r ? Model(models, r) : null;
        var record = (response as ClrType.Model)?.Definition as RecordDefinition;
        string? item = null;
        if (
            record is not null
            && op.QueryParameters.Any(p => p.Name is "page[cursor]" or "page_cursor")
            && record.Properties.FirstOrDefault(p => p.JsonName == "data")
                is { Type: ClrType.ListOf { Item: ClrType.Model itemModel } }
        )
            item = Written(itemModel);
        var body =
            op.Body is { } b && b.ContentType.Contains("json") && b.SchemaName is { } s
                ? Model(models, s)
                : null;
        return new OperationTypes(
            response is null ? null : Written(response),
            record,
            item,
            body is null ? null : Written(body)
        );
    }

    private static ClrType? Model(ModelSet models, string schema) =>
        models.Components.TryGetValue(schema, out var t)
        && t is ClrType.Model { Definition: not EnumDefinition }
            ? t
            : null;

    /// <summary>A type as written inside namespace <c>Klaviyo</c>: models as <c>Models.X</c>.</summary>
    public static string Written(ClrType type) =>
        type switch
        {
            ClrType.Model m => "Models." + m.Definition.Name,
            ClrType.ListOf l => $"IReadOnlyList<{Written(l.Item)}>",
            ClrType.Builtin { Name: "JsonObject" or "JsonNode" } b =>
                "global::System.Text.Json.Nodes." + b.Name,
            _ => type.Code,
        };
}

/// <summary>
/// Writes <c>TypedResponses.g.cs</c>: for each response model of a typed operation, its top-level members
/// (<c>Data</c>, <c>Included</c>, <c>Links</c>…) as properties of <c>KlaviyoResponse&lt;T&gt;</c>, so a LINQ
/// <c>select</c> reads <c>page.Data</c>. One-line extension properties: no new types, little code.
/// </summary>
public static class TypedResponsesEmitter
{
    // Members KlaviyoResponse has itself: they win over extension members, so a document member so named is left out.
    private static readonly HashSet<string> ResponseMembers =
    [
        "Value",
        "StatusCode",
        "Headers",
        "Body",
        "Json",
        "Attempts",
        "IsSuccess",
        "RateLimit",
        "EqualityContract",
    ];

    /// <summary>The file.</summary>
    public static GeneratedFile Emit(string revision, IEnumerable<OperationTypes> types)
    {
        var sb = new StringBuilder();
        sb.Append(Generator.Header(revision));
        sb.Append("#nullable enable\n\n");
        sb.Append("namespace Klaviyo;\n\n");
        foreach (
            var line in DocText.Wrap(
                "",
                "<summary>The top-level members of each typed response document (<c>data</c>, <c>included</c>, <c>links</c>, <c>meta</c>…), read from <see cref=\"KlaviyoResponse{T}.Value\"/>: <c>from page in Profiles.GetProfiles() select page.Data</c>.</summary>"
            )
        )
            sb.Append(line).Append('\n');
        sb.Append("public static class TypedResponses\n{\n");
        var first = true;
        foreach (
            var t in types
                .Where(t => t.ResponseRecord is not null)
                .DistinctBy(t => t.Response)
                .OrderBy(t => t.Response, StringComparer.Ordinal)
        )
        {
            if (!first)
                sb.Append('\n');
            first = false;
            sb.Append("    extension(KlaviyoResponse<").Append(t.Response).Append("> response)\n");
            sb.Append("    {\n");
            var members = t.ResponseRecord!.Properties.Where(p => !ResponseMembers.Contains(p.Name))
                .ToList();
            for (var i = 0; i < members.Count; i++)
            {
                var p = members[i];
                if (i > 0)
                    sb.Append('\n');
                sb.Append("        /// <summary>The document's <c>")
                    .Append(DocText.Escape(p.JsonName))
                    .Append("</c>.</summary>\n");
                sb.Append("        public ")
                    .Append(OperationTypes.Written(p.Type))
                    .Append(p.Nullable ? "?" : "")
                    .Append(' ')
                    .Append(p.Name)
                    .Append(" => response.Value.")
                    .Append(p.Name)
                    .Append(";\n");
            }
            sb.Append("    }\n");
        }
        sb.Append("}\n");
        return new GeneratedFile("TypedResponses.g.cs", sb.ToString());
    }
}
