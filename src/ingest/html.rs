//! Placeholder until the HTML reader lands.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlArticle {
    pub text: String,
    pub title: Option<String>,
    pub site_name: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub published_field: Option<&'static str>,
    pub author: Option<String>,
    pub language: Option<String>,
}
pub fn extract_article(html: &str) -> HtmlArticle {
    HtmlArticle {
        text: html.to_string(),
        ..Default::default()
    }
}
