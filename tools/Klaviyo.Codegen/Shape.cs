namespace Klaviyo.Codegen;

/// <summary>What an argument of a generated method stands for.</summary>
public enum ArgKind
{
    /// <summary>A path parameter.</summary>
    Path,

    /// <summary>A query parameter.</summary>
    Query,

    /// <summary>A header parameter.</summary>
    Header,

    /// <summary>The JSON request body.</summary>
    JsonBody,

    /// <summary>The bytes of a multipart file field.</summary>
    FormFile,

    /// <summary>The file name sent with a multipart file field.</summary>
    FormFileName,

    /// <summary>The content type sent with a multipart file field.</summary>
    FormContentType,

    /// <summary>A multipart text field.</summary>
    FormField,
}

/// <summary>One argument of a generated method.</summary>
/// <param name="Name">The C# parameter name without <c>@</c> (as in <c>&lt;param name="…"&gt;</c>).</param>
/// <param name="Type">The C# type, <c>?</c> included for optional ones.</param>
/// <param name="Optional">Whether it defaults to <c>null</c>.</param>
/// <param name="Kind">What it stands for.</param>
/// <param name="WireName">The spec's name (query, header, path or form field name).</param>
/// <param name="Parameter">The spec parameter, for path, query and header arguments.</param>
/// <param name="Field">The form field, for multipart arguments.</param>
public sealed record Arg(
    string Name,
    string Type,
    bool Optional,
    ArgKind Kind,
    string WireName,
    SpecParameter? Parameter,
    SpecFormField? Field
)
{
    /// <summary>The identifier as written in code (<c>@params</c> for a keyword).</summary>
    public string Identifier => Naming.Identifier(Name);
}

/// <summary>
/// The C# shape of an operation. Argument order: path parameters (path order); required query parameters (spec
/// order); the body (<c>object body</c>, or the multipart fields: required ones, then content types and optional
/// ones); then the optional query parameters in a fixed order — <c>filter</c>, <c>fields[…]</c>, <c>include</c>,
/// <c>sort</c>, <c>pageCursor</c>, <c>pageSize</c>, <c>additional-fields[…]</c>, the rest — and optional headers.
/// </summary>
public sealed record Shape(
    SpecOperation Operation,
    string ClassName,
    string MethodName,
    IReadOnlyList<Arg> Args
)
{
    /// <summary>Works out the shape of <paramref name="op"/>; enum-valued query parameters take the types of
    /// <paramref name="queryTypes"/> (plain strings when it is null).</summary>
    public static Shape Of(SpecOperation op, QueryTypes? queryTypes = null)
    {
        string ClrType(SpecParameter p) =>
            queryTypes?.TypeOf(op.OperationId, p.Name) is { } typed
                ? p.Type == "array"
                    ? $"QueryValues<{typed}>"
                    : typed
                : Shape.ClrType(p);
        // The "Client" tag (the browser-side endpoints) would read as the interpreter (KlaviyoOptions.Client):
        // it is the Client API, as Klaviyo's docs call it.
        var className = op.Tag == "Client" ? "ClientApi" : Naming.Pascal(op.Tag);
        var methodName = Naming.Pascal(op.OperationId);
        if (methodName == className)
            methodName += "Operation";

        var used = new HashSet<string>(StringComparer.Ordinal);
        string Unique(string name)
        {
            var candidate = name;
            for (var i = 2; !used.Add(candidate); i++)
                candidate = name + i;
            return candidate;
        }

        var args = new List<Arg>();
        foreach (var p in op.PathParameters)
            args.Add(
                new Arg(
                    Unique(Naming.Camel(p.Name)),
                    "string",
                    false,
                    ArgKind.Path,
                    p.Name,
                    p,
                    null
                )
            );
        foreach (var p in op.QueryParameters.Where(p => p.Required))
            args.Add(
                new Arg(
                    Unique(Naming.Camel(p.Name)),
                    ClrType(p),
                    false,
                    ArgKind.Query,
                    p.Name,
                    p,
                    null
                )
            );

        var optionalBody = new List<Arg>();
        if (op.Body is { } body)
        {
            if (body.ContentType == "multipart/form-data")
            {
                var contentTypes = new List<Arg>();
                foreach (var f in body.FormFields.Where(f => f.Required))
                    args.AddRange(FormArgs(f, Unique, optional: false, contentTypes).ToList());
                var optionalFields = new List<Arg>();
                foreach (var f in body.FormFields.Where(f => !f.Required))
                    optionalFields.AddRange(
                        FormArgs(f, Unique, optional: true, contentTypes).ToList()
                    );
                optionalBody.AddRange(contentTypes);
                optionalBody.AddRange(optionalFields);
            }
            else if (body.ContentType.Contains("json", StringComparison.Ordinal))
            {
                var arg = new Arg(
                    Unique("body"),
                    body.Required ? "object" : "object?",
                    !body.Required,
                    ArgKind.JsonBody,
                    "body",
                    null,
                    null
                );
                (body.Required ? args : optionalBody).Add(arg);
            }
            else
                throw new InvalidOperationException(
                    $"{op.OperationId}: unsupported request content type {body.ContentType}"
                );
        }
        args.AddRange(optionalBody);

        foreach (
            var p in op.QueryParameters.Where(p => !p.Required).OrderBy(p => QueryRank(p.Name))
        )
            args.Add(
                new Arg(
                    Unique(Naming.Camel(p.Name)),
                    ClrType(p) + "?",
                    true,
                    ArgKind.Query,
                    p.Name,
                    p,
                    null
                )
            );
        foreach (var p in op.HeaderParameters)
        {
            var name = p.Name.StartsWith("X-Klaviyo-", StringComparison.OrdinalIgnoreCase)
                ? p.Name[10..]
                : p.Name;
            var type = ClrType(p);
            args.Add(
                p.Required
                    ? throw new InvalidOperationException(
                        $"{op.OperationId}: required header {p.Name} is not supported"
                    )
                    : new Arg(
                        Unique(Naming.Camel(name)),
                        type + "?",
                        true,
                        ArgKind.Header,
                        p.Name,
                        p,
                        null
                    )
            );
        }
        return new Shape(op, className, methodName, args);
    }

    /// <summary>Where an optional query parameter goes among the others (stable within a rank).</summary>
    public static int QueryRank(string name) =>
        name switch
        {
            "filter" => 0,
            _ when name.StartsWith("fields[", StringComparison.Ordinal) => 1,
            "include" => 2,
            "sort" => 3,
            "page[cursor]" or "page_cursor" => 4,
            "page[size]" => 5,
            _ when name.StartsWith("additional-fields[", StringComparison.Ordinal) => 6,
            _ => 7,
        };

    private static string ClrType(SpecParameter p) =>
        p.Type switch
        {
            "array" => "IEnumerable<string>",
            "integer" => "int",
            "boolean" => "bool",
            "string" => "string",
            _ => throw new InvalidOperationException(
                $"parameter {p.Name}: unsupported type {p.Type}"
            ),
        };

    private static IEnumerable<Arg> FormArgs(
        SpecFormField f,
        Func<string, string> unique,
        bool optional,
        List<Arg> contentTypes
    )
    {
        var q = optional ? "?" : "";
        if (f.Type == "string" && f.Format == "binary")
        {
            var stem = f.Name == "file" ? "" : Naming.Camel(f.Name);
            yield return new Arg(
                unique(Naming.Camel(f.Name)),
                "ReadOnlyMemory<byte>" + q,
                optional,
                ArgKind.FormFile,
                f.Name,
                null,
                f
            );
            yield return new Arg(
                unique(stem.Length == 0 ? "fileName" : stem + "FileName"),
                "string" + q,
                optional,
                ArgKind.FormFileName,
                f.Name,
                null,
                f
            );
            // The content type can be guessed from the file name, so it is optional even for a required file.
            contentTypes.Add(
                new Arg(
                    unique(stem.Length == 0 ? "contentType" : stem + "ContentType"),
                    "string?",
                    true,
                    ArgKind.FormContentType,
                    f.Name,
                    null,
                    f
                )
            );
            yield break;
        }
        var type = f.Type switch
        {
            "boolean" => "bool",
            "integer" => "int",
            "string" => "string",
            _ => throw new InvalidOperationException(
                $"form field {f.Name}: unsupported type {f.Type}"
            ),
        };
        yield return new Arg(
            unique(Naming.Camel(f.Name)),
            type + q,
            optional,
            ArgKind.FormField,
            f.Name,
            null,
            f
        );
    }
}
