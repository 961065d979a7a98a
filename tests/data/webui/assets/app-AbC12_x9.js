console.log("κ 😀");
