// A small multi-step Klaviyo pipeline, described with LINQ as pure data and then run.
// With no KLAVIYO_API_KEY it runs dry: every request is printed as curl (key masked) and answered with a document
// shaped like the spec's response, so the whole pipeline runs end to end with no key and no network.
using Klaviyo;
using LanguageExt;
using static LanguageExt.Prelude;

var key = Environment.GetEnvironmentVariable("KLAVIYO_API_KEY");
var listId = args.Length > 0 ? args[0] : "Y6nRLr";
const string email = "ada@example.com";

// 1. look the profile up by email; 2. create it when it is missing; 3. add it to the list; 4. record an event.
var program =
    from found in Profiles.GetProfiles(filter: Filter.Equals("email", email), pageSize: 1)
    from profileId in found
        .Document()
        .Map(d => d.Resources.HeadOrNone().Bind(r => Optional(r.Id)))
        .Match(
            existing => existing.Match(Operation.Pure, () => CreateProfile(email)),
            Operation.Fail<string>
        )
    from added in Lists.AddProfilesToList(
        listId,
        JsonApi.Document(new[] { JsonApi.Ref("profile", profileId) })
    )
    from tracked in Events.CreateEvent(
        JsonApi.Document(
            JsonApi
                .Resource("event")
                .Attributes(
                    new
                    {
                        properties = new { source = "pipeline-sample" },
                        metric = new
                        {
                            data = new
                            {
                                type = "metric",
                                attributes = new { name = "Joined list" },
                            },
                        },
                        profile = new
                        {
                            data = new
                            {
                                type = "profile",
                                id = profileId,
                                attributes = new { email },
                            },
                        },
                    }
                )
        )
    )
    select (profileId, added.StatusCode, tracked.StatusCode);

var options = new KlaviyoOptions
{
    ApiKey = key ?? "pk_dry_run_example",
    Client = key is null ? Interpreter.DryRun(Console.Out) : null,
};
if (key is null)
    Console.Error.WriteLine("KLAVIYO_API_KEY is not set: dry run, nothing is sent.\n");

var result = await program.RunAsync(options);
return result.Match(
    r =>
    {
        Console.WriteLine(
            $"profile {r.profileId}: added to list {listId} ({r.Item2}), event recorded ({r.Item3})"
        );
        return 0;
    },
    error =>
    {
        Console.Error.WriteLine(error.Message);
        return 1;
    }
);

static Operation<string> CreateProfile(string email) =>
    from created in Profiles.CreateProfile(
        JsonApi.Document(JsonApi.Resource("profile").Attributes(new { email }))
    )
    from id in Operation.From(
        created.Document().Map(d => d.Resources.HeadOrNone().Bind(r => Optional(r.Id)).IfNone(""))
    )
    select id;
