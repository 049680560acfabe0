using System.Text.Json;

namespace Klaviyo.Codegen;

/// <summary>What the generator needs from the OpenAPI spec, read once into plain records.</summary>
public sealed record Spec(string Revision, IReadOnlyList<SpecOperation> Operations)
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    /// <summary>Reads the spec's JSON text. Operations keep the spec's order (paths, then methods as written).</summary>
    public static Spec Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var resolver = new Resolver(root);
        var revision = root.GetProperty("info").GetProperty("version").GetString() ?? "";
        var operations = new List<SpecOperation>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            var shared = path.Value.TryGetProperty("parameters", out var sp) ? sp : default;
            foreach (var item in path.Value.EnumerateObject())
            {
                if (!Methods.Contains(item.Name))
                    continue;
                operations.Add(ReadOperation(path.Name, item.Name, item.Value, shared, resolver));
            }
        }
        return new Spec(revision, operations);
    }

    private static SpecOperation ReadOperation(
        string path,
        string method,
        JsonElement op,
        JsonElement sharedParameters,
        Resolver resolver
    )
    {
        var operationId = op.GetProperty("operationId").GetString()!;
        var parameters = new List<SpecParameter>();
        foreach (var source in new[] { sharedParameters, Prop(op, "parameters") })
        {
            if (source.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var raw in source.EnumerateArray())
            {
                var p = resolver.Resolve(raw);
                var name = p.GetProperty("name").GetString()!;
                var location = p.GetProperty("in").GetString()!;
                // The revision header is the options' business (KlaviyoOptions.Revision), not a parameter.
                if (
                    location == "header"
                    && name.Equals("revision", StringComparison.OrdinalIgnoreCase)
                )
                    continue;
                if (location == "cookie")
                    throw new InvalidOperationException(
                        $"{operationId}: cookie parameters are not supported"
                    );
                parameters.RemoveAll(x => x.Name == name && x.In == location);
                parameters.Add(ReadParameter(p, resolver));
            }
        }

        SpecBody? body = null;
        if (op.TryGetProperty("requestBody", out var rb))
        {
            rb = resolver.Resolve(rb);
            var content = rb.GetProperty("content").EnumerateObject().First();
            var schemaRaw = content.Value.TryGetProperty("schema", out var s) ? s : default;
            string? schemaName =
                schemaRaw.ValueKind == JsonValueKind.Object
                && schemaRaw.TryGetProperty("$ref", out var r)
                    ? r.GetString()!.Split('/')[^1]
                    : null;
            var fields = new List<SpecFormField>();
            if (
                content.Name == "multipart/form-data"
                && schemaRaw.ValueKind == JsonValueKind.Object
            )
            {
                var schema = resolver.Resolve(schemaRaw);
                var required = StringArray(Prop(schema, "required"));
                foreach (var f in schema.GetProperty("properties").EnumerateObject())
                {
                    var fs = resolver.Resolve(f.Value);
                    fields.Add(
                        new SpecFormField(
                            f.Name,
                            Str(fs, "type") ?? "string",
                            Str(fs, "format"),
                            required.Contains(f.Name),
                            Str(fs, "description") ?? ""
                        )
                    );
                }
            }
            body = new SpecBody(content.Name, schemaName, fields, Bool(rb, "required"));
        }

        var successes = op.GetProperty("responses")
            .EnumerateObject()
            .Select(r => r.Name)
            .Where(n => n.Length == 3 && n[0] == '2' && n.All(char.IsDigit))
            .Select(int.Parse)
            .Order()
            .ToList();
        if (successes.Count == 0)
            throw new InvalidOperationException($"{operationId}: no 2xx response");
        string? responseSchema = null;
        foreach (var r in op.GetProperty("responses").EnumerateObject())
            if (
                r.Name.Length == 3
                && r.Name[0] == '2'
                && responseSchema is null
                && resolver.Resolve(r.Value).TryGetProperty("content", out var rc)
            )
                foreach (var media in rc.EnumerateObject())
                    if (
                        media.Value.TryGetProperty("schema", out var rs)
                        && rs.TryGetProperty("$ref", out var rr)
                    )
                    {
                        responseSchema = rr.GetString()!.Split('/')[^1];
                        break;
                    }

        var rateLimit = new List<(string Kind, string Value)>();
        if (op.TryGetProperty("x-klaviyo-ratelimit", out var rl))
            foreach (var kind in new[] { "burst", "steady", "daily" })
                if (rl.TryGetProperty(kind, out var v))
                    rateLimit.Add((kind, v.GetString()!));

        var filters = new List<SpecFilterField>();
        if (op.TryGetProperty("x-klaviyo-filters", out var xf))
            foreach (var f in xf.EnumerateObject())
            {
                var ops = Prop(f.Value, "operators");
                var value = Prop(f.Value, "value");
                filters.Add(
                    new SpecFilterField(
                        f.Name,
                        StringArray(Prop(ops, "single")),
                        StringArray(Prop(ops, "list")),
                        StringArray(Prop(ops, "none")),
                        value.ValueKind == JsonValueKind.Object ? Str(value, "type") : null,
                        value.ValueKind == JsonValueKind.Object ? Str(value, "format") : null,
                        value.ValueKind == JsonValueKind.Object
                            ? StringArray(Prop(value, "enum"))
                            : []
                    )
                );
            }

        var tags = StringArray(Prop(op, "tags"));
        return new SpecOperation(
            operationId,
            tags.Count > 0
                ? tags[0]
                : throw new InvalidOperationException($"{operationId}: no tag"),
            method.ToUpperInvariant(),
            path,
            Str(op, "summary") ?? "",
            Str(op, "description") ?? "",
            parameters,
            body,
            successes[0],
            responseSchema,
            rateLimit,
            StringArray(Prop(op, "x-klaviyo-scopes")),
            StringArray(Prop(op, "x-klaviyo-operation-aliases")),
            filters
        );
    }

    private static SpecParameter ReadParameter(JsonElement p, Resolver resolver)
    {
        var schema = p.TryGetProperty("schema", out var s) ? resolver.Resolve(s) : default;
        var type =
            schema.ValueKind == JsonValueKind.Object ? Str(schema, "type") ?? "string" : "string";
        var items =
            type == "array" && schema.TryGetProperty("items", out var it)
                ? resolver.Resolve(it)
                : default;
        var values = StringArray(Prop(type == "array" ? items : schema, "enum"));
        var itemType =
            type == "array" && items.ValueKind == JsonValueKind.Object ? Str(items, "type") : null;
        return new SpecParameter(
            p.GetProperty("name").GetString()!,
            p.GetProperty("in").GetString()!,
            Bool(p, "required"),
            type,
            itemType,
            values,
            Int(schema, "minimum"),
            Int(schema, "maximum"),
            Int(schema, "default"),
            Str(p, "description") ?? Str(schema, "description") ?? "",
            Str(schema, "example") ?? Str(p, "example")
        );
    }

    private static JsonElement Prop(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    private static string? Str(JsonElement e, string name) =>
        Prop(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private static bool Bool(JsonElement e, string name) =>
        Prop(e, name) is { ValueKind: JsonValueKind.True };

    private static int? Int(JsonElement e, string name) =>
        Prop(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i)
            ? i
            : null;

    private static IReadOnlyList<string> StringArray(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array
            ? e.EnumerateArray()
                .Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText())
                .ToList()
            : [];

    private sealed class Resolver(JsonElement root)
    {
        public JsonElement Resolve(JsonElement e)
        {
            for (var depth = 0; depth < 32; depth++)
            {
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("$ref", out var r))
                    return e;
                var target = root;
                foreach (
                    var segment in r.GetString()!
                        .TrimStart('#')
                        .Split('/', StringSplitOptions.RemoveEmptyEntries)
                )
                    target = target.GetProperty(segment.Replace("~1", "/").Replace("~0", "~"));
                e = target;
            }
            throw new InvalidOperationException("$ref chain too deep");
        }
    }
}

/// <summary>One operation of the spec. <c>ResponseSchemaName</c> is the component schema of its success response
/// body, or null when it has none.</summary>
public sealed record SpecOperation(
    string OperationId,
    string Tag,
    string Method,
    string Path,
    string Summary,
    string Description,
    IReadOnlyList<SpecParameter> Parameters,
    SpecBody? Body,
    int SuccessStatus,
    string? ResponseSchemaName,
    IReadOnlyList<(string Kind, string Value)> RateLimit,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<SpecFilterField> Filters
)
{
    /// <summary>The path parameters in the order they appear in the path template.</summary>
    public IReadOnlyList<SpecParameter> PathParameters =>
        [
            .. Parameters
                .Where(p => p.In == "path")
                .OrderBy(p => Path.IndexOf("{" + p.Name + "}", StringComparison.Ordinal)),
        ];

    /// <summary>The query parameters in spec order.</summary>
    public IReadOnlyList<SpecParameter> QueryParameters =>
        [.. Parameters.Where(p => p.In == "query")];

    /// <summary>The header parameters (other than <c>revision</c>) in spec order.</summary>
    public IReadOnlyList<SpecParameter> HeaderParameters =>
        [.. Parameters.Where(p => p.In == "header")];
}

/// <summary>A path, query or header parameter.</summary>
public sealed record SpecParameter(
    string Name,
    string In,
    bool Required,
    string Type,
    string? ItemType,
    IReadOnlyList<string> Enum,
    int? Minimum,
    int? Maximum,
    int? Default,
    string Description,
    string? Example
);

/// <summary>A request body: its content type, schema name, and (for multipart) its fields.</summary>
public sealed record SpecBody(
    string ContentType,
    string? SchemaName,
    IReadOnlyList<SpecFormField> FormFields,
    bool Required
);

/// <summary>A field of a multipart form body.</summary>
public sealed record SpecFormField(
    string Name,
    string Type,
    string? Format,
    bool Required,
    string Description
);

/// <summary>A field of <c>x-klaviyo-filters</c>.</summary>
public sealed record SpecFilterField(
    string Field,
    IReadOnlyList<string> Single,
    IReadOnlyList<string> List,
    IReadOnlyList<string> None,
    string? ValueType,
    string? ValueFormat,
    IReadOnlyList<string> Enum
);
