//! Phone numbers and knowledge bases.

use trillet::types;
use trillet::uploads::Document;
use trillet_e2e::{is_refused_before_sending, query_examples, Expect, Harness};

use super::{check, check_each_body, file_names, media_example};

// Phone numbers.

#[tokio::test]
async fn list_user_phone_numbers_as_one_record_or_a_list() {
    check(
        Expect::op("listUserPhoneNumbers"),
        None,
        |c, (): ()| async move { c.list_user_phone_numbers().await },
    )
    .await;
}

#[tokio::test]
async fn purchase_phone_number() {
    check_each_body(
        Expect::op("purchasePhoneNumber"),
        |c, b: types::PurchasePhoneNumberRequest| async move { c.purchase_phone_number(&b).await },
    )
    .await;
}

#[tokio::test]
async fn get_phone_number_config() {
    check(
        Expect::op("getPhoneNumberConfig").path("phoneNumberId", "pn-1"),
        None,
        |c, (): ()| async move { c.get_phone_number_config("pn-1").await },
    )
    .await;
}

#[tokio::test]
async fn update_phone_number_config() {
    check_each_body(
        Expect::op("updatePhoneNumberConfig").path("phoneNumberId", "pn-1"),
        |c, b: types::PhoneNumberConfigUpdate| async move {
            c.update_phone_number_config("pn-1", &b).await
        },
    )
    .await;
}

#[tokio::test]
async fn register_external_number() {
    check_each_body(
        Expect::op("registerExternalNumber"),
        |c, b: types::RegisterExternalNumberRequest| async move {
            c.register_external_number(&b).await
        },
    )
    .await;
}

#[tokio::test]
async fn bind_phone_number_answered_by_either_page_version() {
    check_each_body(
        Expect::op("bindPhoneNumber")
            .path("agentId", "agent-1")
            .path("phoneNumberId", "pn-1"),
        |c, b: types::BindPhoneNumberRequest| async move {
            c.bind_phone_number("agent-1", "pn-1", &b).await
        },
    )
    .await;
}

#[tokio::test]
async fn unbind_phone_number() {
    check(
        Expect::op("unbindPhoneNumber")
            .path("agentId", "agent-1")
            .path("phoneNumberId", "pn-1"),
        None,
        |c, (): ()| async move { c.unbind_phone_number("agent-1", "pn-1").await },
    )
    .await;
}

#[tokio::test]
async fn search_available_numbers_with_every_parameter() {
    // Every query parameter the spec documents, with its own example value.
    let examples = query_examples("searchAvailableNumbers");
    let value = |name: &str| {
        examples
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no example of {name}"))
    };
    let country = value("country");
    let query = types::SearchAvailableNumbersQuery {
        type_: Some(value("type").parse().expect("a number type")),
        contains: Some(value("contains")),
        area_code: Some(value("areaCode")),
        limit: value("limit").parse().ok(),
    };
    let expect = examples
        .iter()
        .fold(Expect::op("searchAvailableNumbers"), |e, (name, v)| {
            e.query(name, v)
        });
    let (country, query) = (country.as_str(), &query);
    check(expect, None, |c, (): ()| async move {
        c.search_available_numbers(country, query).await
    })
    .await;
}

#[tokio::test]
async fn search_available_numbers_with_only_the_country() {
    check(
        Expect::op("searchAvailableNumbers").query("country", "AU"),
        None,
        |c, (): ()| async move { c.search_available_numbers("AU", &Default::default()).await },
    )
    .await;
}

#[tokio::test]
async fn release_phone_number() {
    check_each_body(
        Expect::op("releasePhoneNumber"),
        |c, b: types::ReleasePhoneNumberRequest| async move { c.release_phone_number(&b).await },
    )
    .await;
}

// Knowledge bases.

#[tokio::test]
async fn create_knowledge_base() {
    check_each_body(
        Expect::op("createKnowledgeBase"),
        |c, b: types::KnowledgeBaseCreate| async move { c.create_knowledge_base(&b).await },
    )
    .await;
}

#[tokio::test]
async fn list_knowledge_bases() {
    check(
        Expect::op("listKnowledgeBases"),
        None,
        |c, (): ()| async move { c.list_knowledge_bases().await },
    )
    .await;
}

#[tokio::test]
async fn get_knowledge_base() {
    check(
        Expect::op("getKnowledgeBase").path("knowledgeBaseId", "kb-1"),
        None,
        |c, (): ()| async move { c.get_knowledge_base("kb-1").await },
    )
    .await;
}

#[tokio::test]
async fn update_knowledge_base() {
    check_each_body(
        Expect::op("updateKnowledgeBase").path("knowledgeBaseId", "kb-1"),
        |c, b: types::KnowledgeBaseUpdate| async move { c.update_knowledge_base("kb-1", &b).await },
    )
    .await;
}

#[tokio::test]
async fn upload_knowledge_base_file() {
    let id = "uploadKnowledgeBaseFile";
    let example = media_example(id, "requestBody", "multipart/form-data", "guide");
    let text = example["uploadedFile"].as_str().expect("the file's text");
    let harness = Harness::start().await;
    let expectation = harness
        .expect(
            Expect::op("uploadKnowledgeBaseFile")
                .path("knowledgeBaseId", "kb-1")
                .multipart(&[("uploadedFile", Some("text/markdown"), text)]),
        )
        .await;
    let uploaded = harness
        .client
        .upload_knowledge_base_file("kb-1", Document::from_bytes("guide.md", text))
        .await
        .expect(id);
    expectation.verify(&*uploaded);
    assert_eq!(file_names(&expectation), [Some("guide.md".to_string())]);
}

#[tokio::test]
async fn a_knowledge_base_file_over_50_mb_is_refused_before_sending() {
    let harness = Harness::start().await;
    let too_big = Document::from_bytes("big.pdf", vec![0; 50 * 1024 * 1024 + 1]);
    let error = harness
        .client
        .upload_knowledge_base_file("kb-1", too_big)
        .await
        .expect_err("refused");
    assert!(is_refused_before_sending(&error), "{error}");
    assert!(error.to_string().contains("big.pdf"), "{error}");
}
