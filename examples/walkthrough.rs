//! The seed article "Managing Security Codes", played through the Rust API and printed.
//!
//! Run with `cargo run --example walkthrough -p seccode`.

use seccode::{
    Account, AccountId, Action, ContactDetails, ContactId, Engine, EngineConfig, RequestKind,
    SecurityCode, Setting,
};

fn main() -> Result<(), seccode::Error> {
    let engine = Engine::new(EngineConfig::default())?;
    let joe = ContactId(3522);
    let contact = ContactId(3523);
    let contact2 = ContactId(3526);

    let mut account = Account::new(
        AccountId(1707),
        "Any Company",
        joe,
        ContactDetails {
            name: "Joe Example".into(),
            title: "Primary Contact".into(),
            phone: "000-000-0000".into(),
            email: "marketing@viviotech.net".into(),
            ..ContactDetails::default()
        },
    )?;
    account.add_contact(
        &engine,
        joe,
        contact,
        ContactDetails::named("Contact Example"),
    )?;
    account.add_contact(
        &engine,
        joe,
        contact2,
        ContactDetails::named("Contact Example 2"),
    )?;
    println!(
        "Any Company (Client ID 1707): {} contacts",
        account.contacts().count()
    );

    println!("\n1. Your account-wide security code");
    let short = SecurityCode::try_from("abc123")?;
    match account.set_account_code(&engine, joe, &short) {
        Err(e) => println!("   refused: {e}"),
        Ok(()) => println!("   unexpectedly accepted"),
    }
    account.set_account_code(
        &engine,
        joe,
        &SecurityCode::try_from("Velvet thunder orchard lamp")?,
    )?;
    println!("   Success: Account information updated.");

    println!("\n2. Allowing your other users to see the account-wide code");
    let profile = account.catalog().require("Profile")?;
    account.set_permission(&engine, joe, contact, profile, Action::View, Setting::Allow)?;
    println!("   Success: Contact updated.");
    println!("{}", account.render_grid(contact)?);
    let v = account.verify(
        &engine,
        contact,
        &SecurityCode::try_from("velvet thunder, orchard lamp")?,
    )?;
    println!("   Contact Example calls with the account-wide code: {v}");

    println!("\n3. Creating individual codes for your other users");
    account.set_contact_code(
        &engine,
        joe,
        contact2,
        &SecurityCode::try_from("Quiet harbor zebra violin")?,
    )?;
    println!("   Success: Contact updated.");
    let v = account.verify(
        &engine,
        contact2,
        &SecurityCode::try_from("quiet harbor zebra violin")?,
    )?;
    println!("   Contact Example 2 calls with their own code: {v}");

    println!("\n4. Changing permissions for your other users");
    let manage = account.catalog().require("Manage Contacts")?;
    account.set_permission(&engine, joe, contact2, manage, Action::View, Setting::Allow)?;
    account.set_permission(
        &engine,
        joe,
        contact2,
        manage,
        Action::Update,
        Setting::Allow,
    )?;
    println!("   Success: Contact updated.");
    println!("{}", account.render_grid(contact2)?);

    println!("\nRequests from Contact Example 2, verified on this call:");
    for kind in RequestKind::ALL {
        println!(
            "   {kind}: {}",
            account.authorize_verified(&engine, &v, kind)?
        );
    }

    println!("\nAudit log:");
    for event in account.drain_audit() {
        println!("   {event}");
    }
    Ok(())
}
