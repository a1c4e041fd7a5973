# What tcp-client says, in English. Read after lesson.ftl
# (one catalog, see lesson::lang); the other language has the same ids.
