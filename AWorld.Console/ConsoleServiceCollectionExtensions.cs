using System.Text.Json.Serialization;
using AWorld.Console.Accounts;
using AWorld.Console.Api;
using AWorld.Console.Components;
using AWorld.Console.Live;
using AWorld.Console.Storage;
using AWorld.Core;
using AWorld.Core.Drills;
using AWorld.Core.Engine;
using AWorld.Core.Estate;
using AWorld.Core.Operations;
using AWorld.Aws;
using AWorld.Twin;
using AWorld.Core.Evidence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.Tokens;
using MudBlazor.Services;
using Roles = AWorld.Console.Accounts.Roles;

namespace AWorld.Console;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>The console's scheme: bearer tokens when the request carries one, the sign-in cookie otherwise.</summary>
    public const string SmartScheme = "AWorld";

    public static IServiceCollection AddAWorldConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsoleOptions>().Bind(configuration.GetSection(ConsoleOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        // The console's stores, registered before the engine so that it keeps them (the engine registers none).
        services.TryAddSingleton<DataDirectory>();
        services.AddDbContextFactory<ConsoleDbContext>((sp, options) =>
            options.UseSqlite($"Data Source={sp.GetRequiredService<DataDirectory>().DatabasePath}"));
        services.AddDataProtection().SetApplicationName("AWorld.Console");
        services.AddOptions<KeyManagementOptions>().Configure<DataDirectory, ILoggerFactory>((o, data, logs) =>
            o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(data.KeysPath), logs));
        services.TryAddSingleton<IAuditStore, EfAuditStore>();
        services.TryAddSingleton<IOperationStore, EfOperationStore>();

        // The engine and the estate it drives: one registration, the same the CLI and headless drills build from.
        services.AddAWorldCore(configuration).AddEstate(configuration);

        // Before every other hosted service: the schema is migrated, interrupted drills closed, demo accounts seeded.
        services.AddHostedService<ConsoleStartup>();
        services.TryAddSingleton<SignInThrottle>();
        services.TryAddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.TryAddSingleton<SignInService>();
        services.TryAddSingleton<TokenService>();
        services.TryAddSingleton<AccountSeeder>();
        services.TryAddSingleton<Operations.Approvals>();
        services.TryAddSingleton(Components.LiveDispatch.ThreadPool);
        services.TryAddSingleton<SimulationControl>();
        services.TryAddSingleton<Anomalies.AnomalyAcknowledgements>();
        services.TryAddSingleton<IEvidenceSigner>(sp => new LocalEvidenceSigner(sp.GetRequiredService<DataDirectory>().Path));
        services.TryAddSingleton<Drills.EvidenceArchive>();
        services.TryAddSingleton<Drills.DrillRepository>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDrillRecorder, Drills.DrillRepository>(sp => sp.GetRequiredService<Drills.DrillRepository>()));
        services.TryAddSingleton<Drills.DrillCommands>();
        services.TryAddSingleton<Drills.DrillSchedules>();
        services.AddHostedService<Drills.DrillScheduler>();
        services.TryAddSingleton<EstateDriver>();
        services.AddHostedService(sp => sp.GetRequiredService<EstateDriver>());
        services.AddHostedService<HubBroadcaster>();

        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "Cookie or bearer", o => o.ForwardDefaultSelector = SelectScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/access-denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = true;
                o.Cookie.Name = "aworld.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
            })
            .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, _ => { });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenService>((o, tokens) =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = TokenService.Issuer,
                    ValidAudience = TokenService.Audience,
                    IssuerSigningKey = tokens.SigningKey,
                    NameClaimType = TokenService.NameClaim,
                    RoleClaimType = TokenService.RoleClaim,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                o.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on WebSockets: the hub takes the token from the query string.
                    OnMessageReceived = ctx =>
                    {
                        if (ctx.HttpContext.Request.Path.StartsWithSegments(EstateHub.Path) && ctx.Request.Query["access_token"] is { Count: > 0 } token)
                        {
                            ctx.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        // One policy per permission, named after it, from the one table (AWorld.Core.Permissions). Only account roles
        // go into a policy: the System role is the console itself and no signed-in user can hold it.
        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var permission in Enum.GetValues<Permission>())
        {
            authorization.AddPolicy(permission.ToString(), p => p.RequireRole(Permissions.RolesFor(permission).Where(Roles.All.Contains)));
        }
        services.AddCascadingAuthenticationState();

        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddHttpContextAccessor();
        return services;
    }

    public static WebApplication MapAWorldConsole(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets().AllowAnonymous();
        app.MapAWorldApi();
        app.MapOperationsApi();
        app.MapAnomaliesApi();
        app.MapDrillsApi();
        // A connection ends when its token or cookie expires, so a removed or demoted user stops receiving the estate.
        app.MapHub<EstateHub>(EstateHub.Path, o => o.CloseOnAuthenticationExpiration = true);
        app.MapPost("/account/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        });
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>
    /// Registers the estate <c>Estate:Provider</c> names: the one place the console chooses between the twin and a
    /// real account.
    /// </summary>
    public static IServiceCollection AddEstate(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration.GetSection(EstateOptions.SectionName).GetValue<EstateProvider?>(nameof(EstateOptions.Provider)) ?? EstateProvider.Simulation;
        return provider switch
        {
            EstateProvider.Aws => services.AddAwsEstate(configuration),
            // The live console's twin keeps its state in the data directory across restarts.
            _ => services.AddTwinPersistence().AddTwinEstate(configuration),
        };
    }

    private static string? SelectScheme(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return JwtBearerDefaults.AuthenticationScheme;
        }

        return context.Request.Path.StartsWithSegments(EstateHub.Path) && context.Request.Query.ContainsKey("access_token")
            ? JwtBearerDefaults.AuthenticationScheme
            : CookieAuthenticationDefaults.AuthenticationScheme;
    }

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
