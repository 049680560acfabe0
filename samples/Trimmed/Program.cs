using Klaviyo;
using Klaviyo.Models;

// A dry run prints what would be sent (no network, no key needed).
var printed = new StringWriter();
var dry = new KlaviyoOptions { Client = Interpreter.DryRun(printed) };
var dryResult = await Profiles.GetProfiles(pageSize: 2).SendAsync(dry);
Console.WriteLine($"dry run: {(dryResult.IsRight ? "ok" : "failed")}");
Console.Write(printed.ToString());

// A stub answers; the answer is decoded into the generated models, without reflection.
const string page = """
    {"data":[{"type":"profile","id":"p1","attributes":{"email":"ann@example.com","first_name":"Ann"}}],
     "links":{"self":"https://a.klaviyo.com/api/profiles"}}
    """;
var stub = Interpreter.Stub().When(HttpMethod.Get, "/api/profiles").Respond(200, page);
var options = new KlaviyoOptions { ApiKey = "pk_trimmed_sample_0123456789", Client = stub };
var program =
    from response in Profiles.GetProfiles(pageSize: 2)
    select response.Json.Map(json =>
        ModelJson
            .Decode<GetProfileResponsePluralConversationsCollectionCompoundDocument>(json)
            .Map(doc => string.Join(",", doc.Data.Select(p => p.Attributes.Email)))
    );
var emails = await program.RunAsync(options);
Console.WriteLine(
    emails.Match(
        found =>
            found.Match(
                decoded =>
                    decoded.Match(e => $"typed: {e}", error => $"decode failed: {error.Message}"),
                () => "no JSON"
            ),
        error => $"failed: {error.Message}"
    )
);

// A typed body is written by the generated converters too.
var bodyPrinted = new StringWriter();
var created = await Lists
    .CreateList(
        new ListCreateQuery(
            new ListCreateQueryResourceObject(new ListCreateQueryResourceObjectAttributes("VIP"))
        )
    )
    .SendAsync(new KlaviyoOptions { Client = Interpreter.DryRun(bodyPrinted) });
Console.WriteLine(
    created.IsRight
    && System.Text.RegularExpressions.Regex.IsMatch(bodyPrinted.ToString(), "\"name\":\\s*\"VIP\"")
        ? "typed body: ok"
        : $"typed body: missing ({created.Match(_ => "sent", e => e.Message)})\n{bodyPrinted}"
);
